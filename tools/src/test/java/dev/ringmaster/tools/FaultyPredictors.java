package dev.ringmaster.tools;

import dev.ringmaster.predict.Predictions;
import dev.ringmaster.predict.Predictor;
import dev.ringmaster.predict.PredictorProvider;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Predictor plugins that fail, registered only by jars that tests write: one whose observe() throws at its 101st
 * arrival, one whose writeModel() throws an IOException. Stateless providers; each predictor is used by one thread.
 */
final class FaultyPredictors
{
    private FaultyPredictors()
    {
    }

    /** observe() throws at the 101st arrival. */
    public static final class ObserveThrows extends Provider
    {
        static final String NAME = "faulty-observe";

        public ObserveThrows()
        {
            super(NAME, true);
        }
    }

    /** writeModel() throws an IOException. */
    public static final class WriteThrows extends Provider
    {
        static final String NAME = "faulty-write";

        public WriteThrows()
        {
            super(NAME, false);
        }
    }

    /** A provider of a {@link Failing} predictor under its name. */
    abstract static class Provider implements PredictorProvider
    {
        private final String name;
        private final boolean inObserve;

        Provider(final String name, final boolean inObserve)
        {
            this.name = name;
            this.inObserve = inObserve;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public String description()
        {
            return inObserve ? "throws in observe()" : "throws in writeModel()";
        }

        @Override
        public Predictor create()
        {
            return new Failing(name, inObserve);
        }
    }

    private static final class Failing implements Predictor
    {
        private final String name;
        private final boolean inObserve;
        private long seen;

        Failing(final String name, final boolean inObserve)
        {
            this.name = name;
            this.inObserve = inObserve;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void observe(final String type, final String contextKey, final long requiredSkills, final long nanos)
        {
            if (inObserve && ++seen == 101)
            {
                throw new IllegalStateException("observe blew up at " + seen);
            }
        }

        @Override
        public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
        {
        }

        @Override
        public void writeModel(final DataOutput out) throws IOException
        {
            throw new IOException("cannot serialize");
        }

        @Override
        public void readModel(final DataInput in)
        {
        }
    }
}
