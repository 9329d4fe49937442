namespace NfOta.Download
{
    /// <summary>
    /// Capped exponential back-off between retries: 1 s, 2 s, 4 s ... up to a ceiling, and a cap on the
    /// number of attempts, so a dead link ends in a reported failure instead of a hang.
    /// </summary>
    public sealed class Backoff
    {
        private readonly int _firstMs;
        private readonly int _maxMs;
        private readonly int _maxAttempts;
        private int _attempts;

        public Backoff(int firstMs, int maxMs, int maxAttempts)
        {
            _firstMs = firstMs;
            _maxMs = maxMs;
            _maxAttempts = maxAttempts;
        }

        /// <summary>Failed attempts so far.</summary>
        public int Attempts { get { return _attempts; } }

        /// <summary>True when no attempts are left.</summary>
        public bool Exhausted { get { return _attempts >= _maxAttempts; } }

        /// <summary>Counts a failure and returns how long to wait before the next attempt.</summary>
        public int NextDelayMs()
        {
            int delay = _firstMs;
            for (int i = 0; i < _attempts && delay < _maxMs; i++)
            {
                delay *= 2;
            }

            if (delay > _maxMs)
            {
                delay = _maxMs;
            }

            _attempts++;
            return delay;
        }

        /// <summary>Progress was made: the next failure starts again from the first delay.</summary>
        public void Reset()
        {
            _attempts = 0;
        }
    }
}
