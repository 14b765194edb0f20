package dev.redisombatch.batch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shape of the demo customers, read back with Jackson as the text {@code JSON.SET} is given. */
class DemoCustomersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COUNT = 2_000;

    private static List<String> documents(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            documents.add(JSON.writeValueAsString(DemoCustomers.customer(random)));
        }
        return documents;
    }

    @Test
    void theSameSeedWritesTheSameCustomersAndAnotherSeedOthers() {
        assertThat(documents(42)).isEqualTo(documents(42));
        assertThat(documents(43)).doesNotContainAnyElementsOf(documents(42));
    }

    @Test
    void everyDocumentIsAJsonModelWithAnEmbeddedAddressAndAListOfOrders() {
        List<String> pks = new ArrayList<>();
        for (String text : documents(42)) {
            JsonNode customer = JSON.readTree(text);
            assertThat(customer.get("pk").stringValue()).matches("[0-9A-HJKMNP-TV-Z]{26}");
            pks.add(customer.get("pk").stringValue());
            assertThat(customer.get("email").stringValue()).contains("@");
            assertThat(customer.get("age").isInt()).isTrue();
            assertThat(customer.get("address").isObject()).isTrue();
            assertThat(customer.get("address").get("pk").isString()).isTrue();
            assertThat(customer.get("orders").isArray()).isTrue();
            customer.get("orders").forEach(order -> {
                assertThat(order.get("total").isNumber()).isTrue();
                assertThat(order.get("zip")).isEqualTo(customer.get("address").get("zip"));
            });
        }
        assertThat(pks).doesNotHaveDuplicates();
    }

    @Test
    void isoDatetimesInEveryFormAreAtAllThreeDepthsAndAFewAreAbsent() {
        DatetimeCount createdAt = new DatetimeCount();
        DatetimeCount since = new DatetimeCount();
        DatetimeCount orderCreatedAt = new DatetimeCount();
        for (String text : documents(42)) {
            JsonNode customer = JSON.readTree(text);
            createdAt.accept(customer.get("created_at"));
            since.accept(customer.get("address").get("since"));
            customer.get("orders").forEach(order -> orderCreatedAt.accept(order.get("created_at")));
        }
        for (DatetimeCount depth : List.of(createdAt, since, orderCreatedAt)) {
            assertThat(depth.utc).isPositive();
            assertThat(depth.offset).isPositive();
            assertThat(depth.naive).isPositive();
            assertThat(depth.date).isPositive();
            assertThat(depth.absent).isPositive().isLessThan(depth.present() / 20);
        }
        assertThat(createdAt.present() + createdAt.absent).isEqualTo(COUNT);
        assertThat(orderCreatedAt.present()).as("0 to 3 orders each").isBetween((long) COUNT, 2L * COUNT);
    }

    /** ISO values of one path by form; parsing each is the check that it is ISO. */
    private static final class DatetimeCount implements Consumer<JsonNode> {
        long utc;
        long offset;
        long naive;
        long date;
        long absent;

        @Override
        public void accept(JsonNode value) {
            if (value == null) {
                absent++;
                return;
            }
            String iso = value.stringValue();
            if (iso.length() == 10) {
                LocalDate.parse(iso);
                date++;
            } else if (iso.endsWith("Z")) {
                OffsetDateTime.parse(iso);
                utc++;
            } else if (iso.endsWith("+02:00")) {
                OffsetDateTime.parse(iso);
                offset++;
            } else {
                LocalDateTime.parse(iso);
                naive++;
            }
        }

        long present() {
            return utc + offset + naive + date;
        }
    }
}
