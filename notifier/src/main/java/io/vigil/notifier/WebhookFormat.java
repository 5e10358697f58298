package io.vigil.notifier;

/** {@code VIGIL}: the alert group as nested JSON. {@code ZABBIX}: flat string fields a Zabbix media type can map. */
public enum WebhookFormat {
    VIGIL, ZABBIX
}
