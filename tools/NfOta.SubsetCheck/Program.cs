using System;
using System.IO;

namespace NfOta.SubsetCheck
{
    /// <summary>
    /// dotnet run --project tools/NfOta.SubsetCheck -- firmware tests/NfOta.Core.Tests
    /// Prints each violation as "path(line,col): NFSUBSET: message"; exit 1 when there is any, 2 on bad arguments.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine("usage: NfOta.SubsetCheck <folder> [<folder>...]");
                return 2;
            }
            foreach (string folder in args)
            {
                if (!Directory.Exists(folder))
                {
                    Console.Error.WriteLine("NfOta.SubsetCheck: no folder '" + folder + "'");
                    return 2;
                }
            }
            int files = 0;
            foreach (string folder in args) foreach (string _ in SubsetChecker.EnumerateSources(folder)) files++;
            var violations = SubsetChecker.CheckFolders(args, Directory.GetCurrentDirectory());
            foreach (var v in violations) Console.WriteLine(v);
            Console.WriteLine("nanoFramework subset check: " + files + " files, " + violations.Count + " violation(s)");
            return violations.Count == 0 ? 0 : 1;
        }
    }
}
