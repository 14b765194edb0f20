package dev.redisombatch.batch.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link PostgresServer} harness: a real PostgreSQL with password login, which can be stopped and started. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresServerIT {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @Test
    @Order(1)
    void acceptsTheUserWithItsPasswordOnItsOwnDatabase() throws SQLException {
        assertThat(postgres.jdbcUrl())
                .startsWith("jdbc:postgresql://127.0.0.1:")
                .endsWith("/batch");
        try (Connection connection = connect(postgres.password());
                Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("select 1, current_user, current_database()")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isEqualTo(1);
                assertThat(row.getString(2)).isEqualTo(postgres.username());
                assertThat(row.getString(3)).isEqualTo(postgres.database());
            }
            statement.execute("create table probe (id int primary key)"); // the user owns the database
            statement.execute("insert into probe values (1)");
        }
    }

    @Test
    @Order(2)
    void refusesAWrongPassword() {
        assertThatThrownBy(() -> connect("not-" + postgres.password()).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    @Order(3)
    void stopsAndStartsAgainWithTheSameData() throws Exception {
        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        assertThatThrownBy(() -> connect(postgres.password()).close()).isInstanceOf(SQLException.class);

        postgres.start();
        try (Connection connection = connect(postgres.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select count(*) from probe")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(1);
        }
    }

    private static Connection connect(String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", postgres.username());
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(postgres.jdbcUrl(), properties);
    }
}
