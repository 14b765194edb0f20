package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md, docs/*.md and deploy/README.md leads to a file that exists and, when it names an
 * anchor, to a heading (or an {@code <a id>}) of that file, with GitHub's rule for heading anchors: lower case,
 * punctuation dropped, spaces as '-', a repeated heading numbered -1, -2...
 */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *#* *$");
    private static final Pattern EXPLICIT_ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        Path root = Path.of("..").toRealPath();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("deploy/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(10);
        assertThat(brokenLinks(pages)).isEmpty();
    }

    @Test
    void aMissingFileOrHeadingIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), """
                # Page A
                ## Exit codes, and `retries`
                <a id="kept"></a>
                [ok](b.md#the-b-page) [ok](#exit-codes-and-retries) [ok](#kept) [ok](https://example.com/x#y)
                ```
                [ignored in code](missing.md)
                ```
                [gone](missing.md) [no such heading](b.md#nope)
                """);
        Files.writeString(dir.resolve("b.md"), "# The B page\n");
        assertThat(brokenLinks(List.of(dir.resolve("a.md"))))
                .containsExactly("a.md: missing.md (no such file)", "a.md: b.md#nope (no such heading)");
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(anchorOf("The built-in `001_datetime_fields_to_timestamps`"))
                .isEqualTo("the-built-in-001_datetime_fields_to_timestamps");
        assertThat(anchorOf("Writes: conditional by default")).isEqualTo("writes-conditional-by-default");
        assertThat(anchorOf("Performance reference (2-core machine, 1,000,001 hashes)"))
                .isEqualTo("performance-reference-2-core-machine-1000001-hashes");
    }

    private static List<String> brokenLinks(List<Path> pages) {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchorsByPage = new HashMap<>();
        for (Path page : pages) {
            for (String target : linksIn(page)) {
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto: ... not ours to check here
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(page.getFileName() + ": " + target + " (no such file)");
                } else if (hash >= 0
                        && !anchorsByPage
                                .computeIfAbsent(linked, DocumentationLinksTest::anchorsIn)
                                .contains(target.substring(hash + 1))) {
                    broken.add(page.getFileName() + ": " + target + " (no such heading)");
                }
            }
        }
        return broken;
    }

    private static List<String> linksIn(Path page) {
        List<String> links = new ArrayList<>();
        for (String line : outsideCode(page)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                links.add(link.group(1));
            }
        }
        return links;
    }

    private static Set<String> anchorsIn(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideCode(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String anchor = anchorOf(heading.group(1));
                int earlier = seen.merge(anchor, 1, Integer::sum) - 1;
                anchors.add(earlier == 0 ? anchor : anchor + "-" + earlier);
            }
            Matcher explicit = EXPLICIT_ANCHOR.matcher(line);
            while (explicit.find()) {
                anchors.add(explicit.group(1));
            }
        }
        return anchors;
    }

    /** GitHub's rule: lower case, everything but letters, digits, '_', '-' and spaces dropped, spaces as '-'. */
    static String anchorOf(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
    }

    /** The page's lines outside fenced code blocks, where a link or a heading is only text. */
    private static List<String> outsideCode(Path page) {
        List<String> lines = new ArrayList<>();
        boolean inCode = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.startsWith("```")) {
                    inCode = !inCode;
                } else if (!inCode) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
