using System.Collections;
using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>What the platform side of a test does with each message the device publishes.</summary>
    public delegate void MqttResponder(string topic, byte[] payload);

    /// <summary>
    /// An in-memory broker link for core tests: the device's publishes go to a responder (the test's
    /// platform side), which answers through <see cref="Deliver"/>. Can be taken offline.
    /// </summary>
    public sealed class ScriptedMqtt : IMqttPort
    {
        private bool _connected;
        public bool Online = true;
        public readonly ArrayList Subscriptions = new ArrayList();
        public readonly ArrayList Published = new ArrayList();
        public MqttResponder Responder;
        public int Connects;

        public bool IsConnected { get { return _connected; } }

        public event MqttMessageHandler MessageReceived;

        public event MqttDisconnectedHandler Disconnected;

        public bool Connect(string clientId, string username, string password)
        {
            if (!Online)
            {
                return false;
            }

            Connects++;
            _connected = true;
            return true;
        }

        public void Disconnect()
        {
            _connected = false;
        }

        public void Drop()
        {
            _connected = false;
            MqttDisconnectedHandler h = Disconnected;
            if (h != null)
            {
                h("dropped");
            }
        }

        public bool Subscribe(string topicFilter)
        {
            Subscriptions.Add(topicFilter);
            return _connected;
        }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            if (!_connected)
            {
                return false;
            }

            Published.Add(topic);
            MqttResponder r = Responder;
            if (r != null)
            {
                r(topic, payload);
            }

            return true;
        }

        public void Deliver(string topic, byte[] payload)
        {
            MqttMessageHandler h = MessageReceived;
            if (h != null)
            {
                h(topic, payload);
            }
        }
    }
}
