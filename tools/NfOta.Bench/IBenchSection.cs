namespace NfOta.Bench
{
    /// <summary>One named group of benchmarks; Program finds every implementation by reflection.</summary>
    public interface IBenchSection
    {
        /// <summary>The word given on the command line, e.g. "hash".</summary>
        string Name { get; }

        /// <summary>One line for --help.</summary>
        string Summary { get; }

        /// <summary>Runs and prints figures; returns the process exit code (non-zero if a check failed).</summary>
        int Run(string[] args);
    }
}
