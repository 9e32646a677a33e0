package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ringmaster recover --wait}: what the wait did not let finish stays open for the next recovery. */
class RecoverWaitTest
{
    private static final int OPEN = 300;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRecoveryWhoseWaitRunsOutLeavesTheTasksItDidNotFinishOpenForTheNextOne()
    {
        final Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.open(JournalConfig.at(dir).payloadCodec(WorkCodec.INSTANCE)))
        {
            // open tasks as a crashed run leaves them, each far longer than the wait below: most never start in it
            for (int id = 1; id <= OPEN; id++)
            {
                assertThat(journal.recordRecovered(Task.builder("coder").id(id)
                    .payload(new Workload.Work(TimeUnit.SECONDS.toNanos(2), false)).build(), "left open")).isTrue();
            }
        }
        assertThat(num(json(run("recover", dir.toString(), "--dry-run", "--json")), "open")).isEqualTo(OPEN);

        final DemoCommandTest.Run recover = run("recover", dir.toString(), "--wait", "200ms", "--json");
        final Map<String, Object> r = json(recover);
        assertThat(num(r, "recovered")).as("stderr: %s", recover.err()).isEqualTo(OPEN);
        assertThat(num(r, "lost")).as("unfinished when the wait ran out").isPositive();

        final Map<String, Object> after = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(num(after, "open")).as("the tasks the shutdown cancelled before they ran are open again")
            .isEqualTo(num(r, "lost"));
    }
}
