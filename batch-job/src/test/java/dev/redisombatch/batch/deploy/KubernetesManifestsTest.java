package dev.redisombatch.batch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes} read against the Kubernetes API's own schema: the models of
 * the official Java client, generated from the API's OpenAPI document, refuse a field they do not define and a
 * required field that is missing, so a misspelt key fails the build instead of a CronJob at 2:30 at night.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
    /** The model of each kind the manifests use; a new kind is added here, or the test says it has no schema for it. */
    private static final Map<String, Class<?>> MODELS = Map.of(
            "batch/v1 CronJob", V1CronJob.class,
            "apps/v1 Deployment", V1Deployment.class,
            "v1 Secret", V1Secret.class);

    @Test
    void everyManifestFitsTheKubernetesApiSchema() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path file : manifests()) {
            for (Map<String, Object> resource : resources(Files.readString(file))) {
                read(resource);
                checked.add(file.getFileName() + ": " + resource.get("kind"));
            }
        }

        assertThat(checked)
                .containsExactlyInAnyOrder(
                        "cronjob.yaml: CronJob", "workers.yaml: Deployment", "secret.example.yaml: Secret");
    }

    @Test
    void aMisspeltKeyIsRefused() throws IOException {
        String cronJob = Files.readString(MANIFESTS.resolve("cronjob.yaml"));
        String misspelt = cronJob.replace("  schedule:", "  schedul:");
        assertThat(misspelt).isNotEqualTo(cronJob);

        assertThatThrownBy(() -> resources(misspelt).forEach(KubernetesManifestsTest::read))
                .hasMessageContaining("schedul")
                .hasMessageContaining("V1CronJobSpec");
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> resources(String yaml) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                resources.add((Map<String, Object>) document);
            }
        }
        return resources;
    }

    /** Reads one resource with the model of its kind, which throws on anything the API schema does not allow. */
    private static void read(Map<String, Object> resource) {
        String type = resource.get("apiVersion") + " " + resource.get("kind");
        Class<?> model = MODELS.get(type);
        assertThat(model).as("a model for %s (add it to MODELS)", type).isNotNull();
        JSON json = new JSON();
        json.deserialize(JSON.getGson().toJson(resource), model);
    }
}
