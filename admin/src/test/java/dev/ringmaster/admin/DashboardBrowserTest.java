package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless browser (Debian's chromium and chromium-driver, which {@code .ci/run} installs):
 * it asks for the token, shows numbers that change under load, and its pause button pauses the type.
 */
class DashboardBrowserTest
{
    private static final String TOKEN = "br0wser";
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theDashboardShowsLiveNumbersAndPausesATypeInAHeadlessBrowser() throws Exception
    {
        final boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        final String why = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; " +
            ".ci/run does)";
        // CI installs the browser and sets this, so that there the test fails rather than skips without one
        if (System.getenv("RINGMASTER_REQUIRE_BROWSER") != null)
        {
            assertThat(installed).as(why).isTrue();
        }
        Assumptions.assumeTrue(installed, why);
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").capacity(2).build(), (t, c, tel) ->
            {
                tel.contextTokens(1_000, 250); // a quarter of the loaded context used: a waste ratio of 0.75
                timer.schedule(() -> c.succeed("ok", 10, 0.8), 2, TimeUnit.MILLISECONDS);
            })
            .agent(AgentSpec.builder("reviewer-1", "reviewer").capacity(1).build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        final AtomicBoolean producing = new AtomicBoolean(true);
        final Thread producer = new Thread(() ->
        {
            while (producing.get())
            {
                d.submit(Task.builder("coder").priority(dev.ringmaster.model.Priority.HIGH).tenant("team-a").build());
                d.submit(Task.builder("reviewer").build());
                try
                {
                    Thread.sleep(2);
                }
                catch (final InterruptedException e)
                {
                    return;
                }
            }
        }, "dashboard-load");
        producer.setDaemon(true);
        producer.start();
        WebDriver browser = null;
        // an embedder's details per agent (a remote agent's host and connection, as RemoteFleet gives them)
        try (AdminServer server = AdminServer.builder(d).port(0).token(TOKEN)
            .agentDetails(id -> id.equals("coder-1") ? java.util.Map.of("host", "host-7", "connection", "connected") :
                java.util.Map.of())
            .start())
        {
            final ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
            browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
            // the page redraws its tables every 2 s: an element found just before a redraw is gone after it
            final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(StaleElementReferenceException.class);
            browser.get(server.url() + "/");

            // the page asks for the token once, and keeps it for the tab
            wait.until(ExpectedConditions.alertIsPresent()).sendKeys(TOKEN);
            browser.switchTo().alert().accept();

            wait.until(b -> !b.findElement(By.id("completed")).getText().equals("-"));
            final long first = number(browser.findElement(By.id("completed")).getText());
            wait.until(b -> number(b.findElement(By.id("completed")).getText()) > first);
            assertThat(browser.findElement(By.id("agents")).getText()).contains("coder-1", "reviewer-1");
            assertThat(browser.findElement(By.xpath("//table[@id='agents']//tr[td[1][text()='coder-1']]")).getText())
                .as("a remote agent's host and connection state").contains("host host-7 (connected)");
            assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
            // the seed's metrics: context waste and quality per type, from what the adapter reported
            wait.until(b -> b.findElement(By.id("waste")).getText().equals("0.75"));
            wait.until(b -> b.findElement(By.xpath("//table[@id='quality']//tr[td[1][text()='coder']]/td[4]"))
                .getText().equals("0.75"));

            // the last minute, kept by the server: the window's length and the tasks per priority and tenant
            wait.until(b -> b.findElement(By.id("rate-window")).getText().matches("tasks/s over \\d+ s"));
            wait.until(b -> number(b.findElement(By.id("rate")).getText()) > 0);
            wait.until(b -> !b.findElement(By.id("e2e")).getText().equals("-"));
            wait.until(b -> b.findElement(By.xpath("//table[@id='tenants']//tr[td[1][text()='team-a']]")).isDisplayed());
            wait.until(b -> number(b.findElement(By.xpath("//table[@id='priorities']//tr[td[1][text()='HIGH']]/td[2]"))
                .getText()) > 0);

            final Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((TakesScreenshot)browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            // pause 'reviewer' with its button, and see it paused on the page and in the dispatcher
            wait.until(b ->
            {
                b.findElement(By.xpath("//table[@id='queues']//tr[td[1][text()='reviewer']]//button")).click();
                return true; // a redraw between finding and clicking throws stale, and the wait tries again
            });
            wait.until(b -> b.findElement(By.xpath("//table[@id='queues']//tr[td[1][text()='reviewer']]/td[2]"))
                .getText().equals("paused"));
            assertThat(d.types()).containsEntry("reviewer", true).containsEntry("coder", false);
        }
        finally
        {
            if (browser != null)
            {
                browser.quit();
            }
            producing.set(false);
            producer.join(5_000);
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static long number(final String text)
    {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }
}
