package dev.redisombatch.samples;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Json;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON documents sample: Redis OM {@code Customer} documents ({@code JsonModel}) whose embedded {@code Address}, and
 * the shipping address copied into each of their {@code orders}, rename {@code zip} to {@code postal_code}. Only the
 * two nested members change; everything else in the document, and any member the application adds meanwhile, stays.
 */
public class RenameZipToPostalCode implements DataMigration {

    public static final String ID = "20260201_000100_rename_zip_to_postal_code";
    static final KeySelector CUSTOMERS = KeySelector.jsonDocuments(":app.models.Customer:*");
    static final String ZIP = "zip";
    static final String POSTAL_CODE = "postal_code";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Rename zip to postal_code in Customer.address and in each of Customer.orders";
    }

    @Override
    public KeySelector keys() {
        return CUSTOMERS;
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of("address", "orders");
    }

    @Override
    public Change up(Document document) {
        return rename(document, ZIP, POSTAL_CODE);
    }

    @Override
    public Optional<Transform> down() {
        return Optional.of(document -> rename(document, POSTAL_CODE, ZIP));
    }

    /**
     * Renames {@code from} to {@code to} in the address and in every order. Where both are there, {@code from} is a
     * leftover when it says the same (an earlier pass, or the app writing both) and is removed; when they differ it
     * may be newer data, so that object is left for a person to look at.
     */
    private static Change rename(Document document, String from, String to) {
        Change.Builder change = Change.builder();
        for (String object : addresses(document)) {
            Optional<String> old = document.at(object + "." + from);
            if (old.isEmpty()) {
                continue;
            }
            Optional<String> current = document.at(object + "." + to);
            if (current.isEmpty()) {
                change.set(object + "." + to, old.get()).remove(object + "." + from);
            } else if (Json.equivalent(current.get(), old.get())) {
                change.remove(object + "." + from);
            }
        }
        return change.build();
    }

    /** The paths of the objects that hold an address: the address itself and each order. */
    private static List<String> addresses(Document document) {
        List<String> objects = new ArrayList<>(document.paths("address"));
        objects.addAll(document.paths("orders[*]"));
        return objects;
    }
}
