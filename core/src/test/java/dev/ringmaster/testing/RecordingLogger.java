package dev.ringmaster.testing;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

import java.util.ArrayList;
import java.util.List;

/** An SLF4J logger that keeps each formatted line and its throwable, for tests; single-threaded use by one test. */
public final class RecordingLogger extends LegacyAbstractLogger
{
    public final List<String> lines = new ArrayList<>();
    public final List<Throwable> throwables = new ArrayList<>();
    public final List<Level> levels = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName()
    {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(final Level level, final Marker marker, final String pattern,
                                               final Object[] arguments, final Throwable throwable)
    {
        lines.add(org.slf4j.helpers.MessageFormatter.basicArrayFormat(pattern, arguments));
        throwables.add(throwable);
        levels.add(level);
    }

    @Override
    public boolean isTraceEnabled()
    {
        return true;
    }

    @Override
    public boolean isDebugEnabled()
    {
        return true;
    }

    @Override
    public boolean isInfoEnabled()
    {
        return true;
    }

    @Override
    public boolean isWarnEnabled()
    {
        return true;
    }

    @Override
    public boolean isErrorEnabled()
    {
        return true;
    }
}
