using System;
using System.Collections.Generic;
using System.Linq;

namespace NfOta.Bench
{
    /// <summary>
    /// Runs named benchmark sections: `dotnet run -c Release --project tools/NfOta.Bench -- hash`.
    /// A section is a class implementing <see cref="IBenchSection"/> in its own file; it is found
    /// by reflection, so adding one needs no edit here.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            List<IBenchSection> sections = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(IBenchSection).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
                .Select(t => (IBenchSection)Activator.CreateInstance(t))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();

            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help")
            {
                Console.WriteLine("usage: NfOta.Bench <section>|all [section arguments]");
                foreach (IBenchSection s in sections)
                {
                    Console.WriteLine($"  {s.Name,-10} {s.Summary}");
                }

                return args.Length == 0 ? 1 : 0;
            }

            string[] rest = args.Skip(1).ToArray();
            if (args[0] == "all")
            {
                int worst = 0;
                foreach (IBenchSection s in sections)
                {
                    Console.WriteLine($"== {s.Name}");
                    worst = Math.Max(worst, s.Run(rest));
                }

                return worst;
            }

            IBenchSection section = sections.FirstOrDefault(s => s.Name == args[0]);
            if (section == null)
            {
                Console.Error.WriteLine($"unknown section '{args[0]}'; try --help");
                return 2;
            }

            return section.Run(rest);
        }
    }
}
