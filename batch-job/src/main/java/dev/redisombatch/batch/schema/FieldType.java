package dev.redisombatch.batch.schema;

/** The RediSearch field types a definition may use. */
public enum FieldType {
    TEXT,
    TAG,
    NUMERIC,
    GEO,
    VECTOR
}
