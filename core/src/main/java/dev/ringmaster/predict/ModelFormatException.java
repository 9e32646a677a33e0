package dev.ringmaster.predict;

import java.io.IOException;

/** A prediction model file that cannot be used (not a model, a newer format, another predictor, cut short); immutable. */
public final class ModelFormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    public ModelFormatException(final String message)
    {
        super(message);
    }
}
