using NfOta.Ports;

namespace NfOta.Agent
{
    /// <summary>Everything outside the core the agent talks to.</summary>
    public sealed class AgentPorts
    {
        public IMqttPort Mqtt;
        /// <summary>May be null on a device that only updates over MQTT chunks.</summary>
        public IHttpRangeSource Http;
        public IBootControl Boot;
        public IClock Clock;
        public IStorage Storage;
    }

    /// <summary>
    /// The application's own check of a new image on its trial boot: does it do its job? Return true to
    /// keep the image; false (with a reason) rolls back to the previous one.
    /// </summary>
    public interface ISelfTest
    {
        bool Run(out string reason);
    }

    public enum AgentEventKind
    {
        /// <summary>The lifecycle state changed.</summary>
        StateChanged,
        /// <summary>Download progress: Position of Size bytes.</summary>
        Progress,
        /// <summary>Something worth showing a user: a refusal, a retry, a connection.</summary>
        Message
    }

    /// <summary>What the agent tells its host. One instance is reused, so copy what you keep.</summary>
    public sealed class AgentEvent
    {
        public AgentEventKind Kind;
        public UpdateState State;
        public UpdateError Error;
        public long Position;
        public long Size;
        public string Message;
    }

    public delegate void AgentEventHandler(UpdateAgent sender, AgentEvent e);
}
