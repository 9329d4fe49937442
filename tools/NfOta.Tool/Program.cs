using System;

namespace NfOta.Tool
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            Console.Error.WriteLine("nf-ota: no command yet");
            return 2;
        }
    }
}
