package dev.redisombatch.batch.settings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an option means, on a settings record component; {@code --help} prints it beside the option's name, its
 * environment variable and its default. {@code value} of the placeholder shows the value's shape ({@code N},
 * {@code URL}, {@code SECONDS}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Help {

    String value();

    String placeholder() default "VALUE";
}
