package io.vigil.testbed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real services a test class needs. They are started before the class's first test (in parallel),
 * shared with every other test class in the JVM, stopped when the JVM exits, and injectable by type:
 *
 * <pre>{@code
 * @WithServices({Postgres.class, Kafka.class})
 * class IngestIT {
 *     private final String jdbcUrl;
 *
 *     IngestIT(Postgres postgres) {
 *         jdbcUrl = postgres.createDatabase("ingest_it");
 *     }
 *
 *     @Test
 *     void ingests(Kafka kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestBed.class)
public @interface WithServices {

    Class<? extends ManagedService>[] value();
}
