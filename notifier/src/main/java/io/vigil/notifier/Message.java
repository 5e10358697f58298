package io.vigil.notifier;

/**
 * A group rendered for every medium at once: {@code subject} for mail, {@code shortText} for SMS
 * (not yet fitted to a segment), {@code text}/{@code html} for mail parts, {@code markdown} for
 * WeChat Work, {@code speech} for a voice call.
 */
public record Message(String subject, String shortText, String text, String html, String markdown, String speech) {
}
