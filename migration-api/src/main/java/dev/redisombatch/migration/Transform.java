package dev.redisombatch.migration;

/** Turns one document into the change that brings it to its new state. */
@FunctionalInterface
public interface Transform {

    /**
     * @throws DataMigrationException when this document cannot be migrated; the engine then applies the run's
     *         failure mode (fail the run, or skip and record the key)
     */
    Change apply(Document document) throws DataMigrationException;
}
