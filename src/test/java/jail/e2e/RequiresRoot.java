package jail.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * End-to-end tests need root: namespaces, mounts, useradd, su. Unprivileged runs skip them with this reason;
 * under CI (CI=true) a missing privilege is a failure, never a silent skip.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRoot.Condition.class)
public @interface RequiresRoot {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (jail.namespace.jna.LibC.geteuid() == 0) return ConditionEvaluationResult.enabled("running as root");
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("end-to-end tests must run as root under CI");
            }
            return ConditionEvaluationResult.disabled("needs root (namespaces, mounts, useradd, su): skipped");
        }
    }
}
