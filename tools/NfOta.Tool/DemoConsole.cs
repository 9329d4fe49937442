using System;
using NfOta.Agent;

namespace NfOta.Tool
{
    /// <summary>
    /// What the demo and the simulator print: one prefixed line per event and a progress bar while a
    /// download runs (redrawn in place on a terminal, a line per 10 % when the output is a log).
    /// </summary>
    public sealed class DemoConsole
    {
        private readonly object _lock = new object();
        private readonly bool _terminal = !Console.IsOutputRedirected;
        private bool _barShown;
        private int _lastLoggedTenth = -1;
        private UpdateState _lastState = UpdateState.Idle;

        public void Title(string text)
        {
            lock (_lock)
            {
                Console.WriteLine(text);
                Console.WriteLine(new string('=', Math.Min(text.Length, 100)));
            }
        }

        public void Step(string text)
        {
            lock (_lock)
            {
                ClearBar();
                Console.WriteLine();
                Console.WriteLine("== " + text);
            }
        }

        public void Line(string source, string text)
        {
            lock (_lock)
            {
                ClearBar();
                Console.WriteLine("[" + source + "] " + text);
            }
        }

        public void Check(string what, bool ok)
        {
            Console.WriteLine((ok ? "  ok    " : "  FAIL  ") + what);
        }

        public void OnAgentEvent(UpdateAgent agent, AgentEvent e)
        {
            switch (e.Kind)
            {
                case AgentEventKind.Progress:
                    Progress(e.Position, e.Size);
                    break;
                case AgentEventKind.StateChanged:
                    if (e.State != _lastState)
                    {
                        _lastState = e.State;
                        Line("agent", "state: " + UpdateAgent.StateName(e.State)
                            + (e.Message != null ? " (" + e.Message + ")" : ""));
                    }

                    break;
                case AgentEventKind.Message:
                    Line("agent", e.Message);
                    break;
            }
        }

        public void Progress(long position, long size)
        {
            if (size <= 0)
            {
                return;
            }

            int percent = (int)(position * 100 / size);
            lock (_lock)
            {
                if (_terminal)
                {
                    int filled = percent * 40 / 100;
                    Console.Write("\r  [" + new string('#', filled) + new string('.', 40 - filled) + "] "
                        + percent.ToString().PadLeft(3) + "%  " + (position / 1024) + " / " + (size / 1024) + " KB ");
                    _barShown = true;
                }
                else if (percent / 10 != _lastLoggedTenth)
                {
                    _lastLoggedTenth = percent / 10;
                    int filled = percent * 40 / 100;
                    Console.WriteLine("  [" + new string('#', filled) + new string('.', 40 - filled) + "] "
                        + percent.ToString().PadLeft(3) + "%  " + (position / 1024) + " / " + (size / 1024) + " KB");
                }
            }
        }

        public void EndProgress()
        {
            lock (_lock)
            {
                ClearBar();
                _lastLoggedTenth = -1;
            }
        }

        private void ClearBar()
        {
            if (_barShown)
            {
                Console.WriteLine();
                _barShown = false;
            }
        }
    }
}
