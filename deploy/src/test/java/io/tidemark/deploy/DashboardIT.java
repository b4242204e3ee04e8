package io.tidemark.deploy;

import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import tools.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a person sees it, in Debian's chromium driven through its chromedriver: the page comes without a
 * token and asks for one (a wrong one is refused with the catalog's message), then follows a migration in mode all
 * without a reload — it appears, its phase moves on to replicating, its tables fill, its lag shows — and its stop
 * button stops it; a failed import shows its error with the remedy. A screenshot is kept in
 * {@code target/dashboard.png}.
 */
class DashboardIT {
    private static final String REPL_PASSWORD = "Repl-pw-dashboard";
    // Debian's paths; elsewhere -Ddashboard.chromium=… -Ddashboard.chromedriver=…
    private static final Path CHROMIUM = Path.of(System.getProperty("dashboard.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("dashboard.chromedriver",
            "/usr/bin/chromedriver"));
    // a user's name for the migration, markup included: the page must show it as text, not run it
    private static final String NAME = "shop <b>live</b> & <img src=x onerror=alert(1)>";

    private static Stack stack;
    private static WebDriver browser;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @TempDir
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("DashboardIT drives a real browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install"
                    + " them with `apt-get install -y chromium chromium-driver` (.ci/run does)");
        }
        stack = Stack.named("dashboard").withSource().start();
        try (Connection c = TestDatabases.connect(stack.source())) {
            SampleData.create(c, REPL_PASSWORD);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container: no sandbox; a small /dev/shm: keep shared memory on disk
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400", "--disable-extensions", "--no-first-run");
        // the page's console, to find script errors in it
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // the driver given explicitly: Selenium Manager would otherwise try to download one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aMigrationIsFollowedLiveAndStoppedFromThePage() throws Exception {
        // Given the page, served without a token by the coordinator only (the standalone's workers share its jar)
        HttpClient http = HttpClient.newHttpClient();
        for (var service : stack.platform().ports().entrySet()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.getValue() + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (service.getKey().equals("coordinator")) {
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<title>Tidemark</title>");
            } else {
                assertThat(page.statusCode()).as("/ on the %s", service.getKey()).isEqualTo(404);
            }
        }
        browser.get("http://127.0.0.1:" + stack.platform().coordinatorPort() + "/");
        WebElement token = visible(By.id("token"));

        // When a wrong token is entered, then the form comes back with the catalog's message
        token.sendKeys("not-the-token-of-this-coordinator-at-all");
        browser.findElement(By.id("sign-in")).click();
        WebElement refusal = visible(By.id("login-error"));
        assertThat(refusal.getText()).contains("TM-10036").contains("Authorization: Bearer");
        assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();

        // When the right one is entered, then the dashboard shows, with no migration yet
        browser.findElement(By.id("token")).sendKeys(TestDatabases.API_TOKEN);
        browser.findElement(By.id("sign-in")).click();
        visible(By.id("empty"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).as("the token form after signing in").isFalse();
        // a reload would lose this: it tells the values below came by polling into the same page
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes'");

        // When a migration in mode all starts
        String id = api.submit("""
                {"name": "%s", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"], "storage": "%s"}
                """.formatted(NAME.replace("\"", "\\\""), stack.source().port(), REPL_PASSWORD,
                stack.target().port(), TestDatabases.PASSWORD,
                Files.createTempDirectory(files, "dumps").toUri()), REPL_PASSWORD);
        By section = By.cssSelector("section.migration[data-id='" + id + "']");

        // Then the page shows it appear and go through its phases to replicating, with the lag, by itself
        Set<String> phases = new LinkedHashSet<>();
        Set<Long> orderRows = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String lag = "";
        while (System.nanoTime() < deadline) {
            List<WebElement> found = browser.findElements(section);
            if (!found.isEmpty()) {
                try {
                    phases.add(found.getFirst().findElement(By.cssSelector(".phase")).getText());
                    lag = found.getFirst().findElement(By.cssSelector(".lag")).getText();
                    for (WebElement rows : found.getFirst().findElements(By.cssSelector("tr[data-table*='orders']"
                            + ":not([data-table*='items']) td.rows"))) {
                        orderRows.add(Long.parseLong(rows.getDomAttribute("data-rows")));
                    }
                } catch (org.openqa.selenium.StaleElementReferenceException e) {
                    continue; // the table was redrawn between finding and reading: read again
                }
                if (phases.contains("replicating") && lag.matches("\\d+ s")) {
                    break;
                }
            }
            assertThat(phases).as("the page shows the migration fail").doesNotContain("failed");
            Thread.sleep(100);
        }
        assertThat(phases).as("the phases the page showed, in order").contains("replicating");
        assertThat(phases).as("the page showed a phase before replicating").containsAnyOf("pending",
                "snapshotting", "importing");
        assertThat(lag).as("the replication lag on the page").matches("\\d+ s");
        assertThat(orderRows).as("shop.orders' rows on the page").contains(20_000L);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument"))
                .as("the page was not reloaded").isEqualTo("yes");
        WebElement migration = browser.findElement(section);
        assertThat(migration.findElement(By.cssSelector(".name")).getText()).isEqualTo(NAME);
        assertThat(migration.findElements(By.cssSelector(".name *"))).as("markup of the name run as HTML").isEmpty();
        assertThat(migration.findElement(By.cssSelector(".pipeline li.current")).getText()).isEqualTo("replicating");
        assertThat(migration.findElement(By.cssSelector(".resume")).isEnabled()).isFalse();

        // When the stop button is clicked, then the phase becomes stopped, in the page and in the API
        migration.findElement(By.cssSelector(".stop")).click();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> browser.findElement(section).findElement(By.cssSelector(".phase")).getText(),
                        "stopped"::equals);
        assertThat(api.get(id).path("phase").asString()).isEqualTo("stopped");
        assertThat(browser.findElement(section).findElement(By.cssSelector(".resume")).isEnabled()).isTrue();

        // When an import fails on a statement the target cannot run
        Path bad = Files.createDirectories(files.resolve("bad"));
        Files.writeString(bad.resolve("broken-schema-create.sql"), "CREATE DATABASE `broken`;\n");
        Files.writeString(bad.resolve("broken.t-schema.sql"), "CREATE TABLE `t` (`id` int PRIMARY KEY);\n");
        Files.writeString(bad.resolve("broken.t.000000000.sql"), "INSERT INTO `t` VALUES (1),(2),('x' 'y' 3);\n");
        String failing = api.submit("""
                {"name": "broken import", "mode": "import", "checksum": "off",
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["broken.*"], "storage": "%s"}
                """.formatted(stack.target().port(), TestDatabases.PASSWORD, bad.toUri()), TestDatabases.PASSWORD);

        // Then the page shows its error with the catalog's remedy, and offers Retry instead of Stop
        By failed = By.cssSelector("section.migration[data-id='" + failing + "']");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> browser.findElement(failed).findElement(By.cssSelector(".phase")).getText(),
                        "failed"::equals);
        JsonNode error = api.get(failing).path("error");
        WebElement shown = visible(failed).findElement(By.cssSelector(".error"));
        assertThat(shown.isDisplayed()).isTrue();
        assertThat(shown.findElement(By.cssSelector(".error-code")).getText())
                .isEqualTo(error.path("code").asString()).startsWith("TM-");
        assertThat(shown.findElement(By.cssSelector(".error-remedy")).getText())
                .isEqualTo("Remedy: " + error.path("remedy").asString());
        assertThat(browser.findElement(failed).findElement(By.cssSelector(".retry")).isEnabled()).isTrue();
        assertThat(browser.findElement(failed).findElement(By.cssSelector(".stop")).isEnabled()).isFalse();
        assertThat(browser.findElement(failed).findElements(By.cssSelector(".pipeline li.halted")))
                .extracting(WebElement::getText).as("where the pipeline stopped")
                .containsExactly("importing", "failed");

        // And the page's script ran without an error (the wrong token's 401 is the one expected failure)
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .filteredOn(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .extracting(LogEntry::getMessage)
                .filteredOn(message -> !message.contains("/api/v1/migrations - Failed to load resource: the"
                        + " server responded with a status of 401"))
                .as("errors in the browser's console").isEmpty();

        // And a screenshot shows a drawn page, not a blank one
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("the screenshot decodes as an image").isNotNull();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in %s", new File(shot.toString()).getAbsolutePath())
                .isGreaterThan(50);
    }

    /** waits for the element to be shown, as a person waits for the page */
    private static WebElement visible(By locator) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> browser.findElement(locator), WebElement::isDisplayed);
    }
}
