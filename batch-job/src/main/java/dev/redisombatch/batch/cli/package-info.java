/**
 * The command line: arguments checked, settings read from every source and bound to the settings records, the chosen
 * job dispatched to {@code command.RedisOmBatch}, its result rendered as text or JSON, and every failure turned into
 * one line and an exit code. Also {@code --help}, {@code --version} and the logging set-up.
 *
 * <p>The top of the ladder: it may import any package of the tool (it reads the settings records of each) and
 * nothing imports it but the entry point.
 *
 * <p>Start reading at {@link Cli}, then {@link CommandDispatch}; {@link SettingsLoader} for where a value comes from.
 */
package dev.redisombatch.batch.cli;
