package io.tidemark.common.serde;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a message type that is not a subtype of a sealed, {@code @JsonSubTypes}-annotated contract type (whose
 * discriminator already names it): a persisted record such as the coordinator's migration. The name is the key of
 * {@link MessageVersions}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageType {
    String value();
}
