package dev.redisombatch.batch.cli;

/** One readable line for a Redis failure, however deep Lettuce and Netty nested the real cause. */
final class RedisFailures {

    private RedisFailures() {
    }

    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        String last = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(last) && (last == null || !last.contains(message))) {
                if (!text.isEmpty()) {
                    text.append(": ");
                }
                text.append(message.lines().findFirst().orElse(message));
                last = message;
            }
        }
        return text.isEmpty() ? failure.getClass().getSimpleName() : text.toString();
    }
}
