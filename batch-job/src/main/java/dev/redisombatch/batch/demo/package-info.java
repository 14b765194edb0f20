/**
 * Demo data ({@code --job=generateDemoData}): users stored the way Redis OM Python 0.x stored them ({@code --model=user},
 * hashes) and customers as Redis OM keeps a {@code JsonModel} ({@code --model=customer}, RedisJSON documents with ISO
 * datetimes at three depths), for the built-in and the sample migrations to convert.
 *
 * <p>May import {@code redis} and {@code failure} only. Start reading at {@link DemoModel}.
 */
package dev.redisombatch.batch.demo;
