package io.vigil.rules;

/**
 * What a rule saw for one alert identity at one evaluation: the watched value and whether the
 * firing condition holds for it.
 */
public record Observation(double value, boolean firing) {
}
