package io.cairn.host.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON style of Cairn's output, {@code --json} and the HTTP API alike: snake_case keys, ISO-8601
 * times, nulls written out (so a missing parent reads {@code "parent": null}).
 */
public final class JsonStyle {

    private JsonStyle() {
    }

    /** A new mapper in this style (compact; enable {@link SerializationFeature#INDENT_OUTPUT} for people). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
