/**
 * Demo data ({@code --job=generateDemoData}): users stored the way Redis OM Python 0.x stored them, for the built-in and the
 * sample migrations to convert.
 *
 * <p>May import {@code redis} only. Start reading at {@link DemoUsers}.
 */
package dev.redisombatch.batch.demo;
