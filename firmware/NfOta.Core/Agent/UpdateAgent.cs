using System;
using System.Threading;
using NfOta.Download;
using NfOta.Hashing;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Security;
using NfOta.Settings;
using NfOta.Versioning;

namespace NfOta.Agent
{
    /// <summary>
    /// The OTA agent: hears of an update from the platform, streams it into the inactive slot while
    /// hashing it, verifies it, selects the slot and reboots; on the trial boot it runs the self-test
    /// and confirms the image or rolls back. Every step is recorded in the <see cref="UpdateJournal"/>
    /// before it is taken, so a reboot or power cut anywhere resumes or settles instead of starting
    /// blind. The running image is never touched.
    /// <para>One thread drives the agent: call <see cref="Run"/>, or <see cref="Poll"/> from your own
    /// loop. MQTT messages arrive on the transport's thread and are queued for that thread.</para>
    /// </summary>
    public sealed class UpdateAgent : ICheckpointSink
    {
        /// <summary>Boots into an unconfirmed image before it is given up, even if the bootloader does not.</summary>
        public const int MaxTrialBoots = 2;

        /// <summary>Returns to the old slot before an image is refused for good.</summary>
        public const int MaxBootFailures = 2;

        private readonly DeviceSettings _settings;
        private readonly IPlatformAdapter _adapter;
        private readonly AgentPorts _ports;
        private readonly ISelfTest _selfTest;
        private readonly UpdateJournal _journal;
        private readonly ImageReceiver _receiver = new ImageReceiver();
        private readonly InboundQueue _inbound = new InboundQueue(64);
        private readonly InboundMessage _message = new InboundMessage();
        private readonly AgentEvent _event = new AgentEvent();
        private readonly MqttPublisher _publisher;
        private readonly Backoff _connectBackoff = new Backoff(1000, 30000, int.MaxValue);
        private readonly byte[] _buffer;
        private readonly byte[] _signingKey;
        private readonly SignedImageVerifier _signature;

        private string _runningVersion;
        private bool _settled;
        private bool _stop;
        private long _nextConnectAt;
        private bool _receiving;
        private UpdateState _state = UpdateState.Idle;
        private UpdateError _lastError = UpdateError.None;
        private string _lastMessage;

        // progress throttle
        private int _reportedPercent = -1;
        private long _reportedAt;

        // MQTT chunk window: ring of slots, each for one chunk index in [_nextChunk, _nextChunk + window)
        private int _window;
        private int _chunkSize;
        private int _nextChunk;
        private int _chunkCount;
        private int[] _slotIndex;
        private bool[] _slotRequested;
        private byte[][] _slotPayload;
        private int[] _slotOffset;
        private int[] _slotLength;
        private long _lastChunkProgressAt;
        private int _chunkRetries;

        public UpdateAgent(DeviceSettings settings, IPlatformAdapter adapter, AgentPorts ports,
            string runningVersion, ISelfTest selfTest)
        {
            _settings = settings;
            _adapter = adapter;
            _ports = ports;
            _runningVersion = runningVersion;
            _selfTest = selfTest;
            _journal = new UpdateJournal(ports.Storage);
            _publisher = new MqttPublisher(ports.Mqtt);
            _buffer = new byte[settings.ChunkSize];
            if (settings.SigningPublicKey != null && settings.SigningPublicKey.Length > 0)
            {
                // Fail closed: a key that does not decode still makes every image need a signature.
                byte[] key = Base64.Decode(settings.SigningPublicKey);
                _signingKey = key != null ? key : new byte[0];
                _signature = new SignedImageVerifier();
                _receiver.Signature = _signature;
            }
            ports.Mqtt.MessageReceived += OnMqttMessage;
            ports.Mqtt.Disconnected += OnMqttDisconnected;
        }

        /// <summary>Lifecycle state.</summary>
        public UpdateState State { get { return _state; } }

        /// <summary>Why the last update failed or rolled back; None otherwise.</summary>
        public UpdateError LastError { get { return _lastError; } }

        /// <summary>A one-line description of the last failure or refusal.</summary>
        public string LastMessage { get { return _lastMessage; } }

        /// <summary>The version this image runs, as the agent reports it.</summary>
        public string RunningVersion { get { return _runningVersion; } }

        /// <summary>Hex digest of the last image the agent installed (as written and hashed), or null.</summary>
        public string InstalledDigest { get { return _journal.Digest; } }

        /// <summary>
        /// True once the agent asked the boot control to reboot (to try a new image, or to roll back).
        /// On a device the reboot does not return; a simulated host restarts the device when it sees this.
        /// </summary>
        public bool RestartRequested { get; private set; }

        /// <summary>Raised on the agent's thread for every state change, progress step and notice.</summary>
        public event AgentEventHandler Changed;

        /// <summary>Runs until <see cref="Stop"/> or a reboot request.</summary>
        public void Run()
        {
            while (!_stop && !RestartRequested)
            {
                Poll(500);
            }
        }

        /// <summary>
        /// Stops the agent: <see cref="Run"/> and a download in progress return, and later polls do nothing.
        /// The journal keeps the progress for the next start.
        /// </summary>
        public void Stop()
        {
            _stop = true;
            _inbound.Wake();
        }

        /// <summary>
        /// One step: settle after boot (first call only), keep the broker connection, handle queued
        /// messages and move the update on. Waits at most <paramref name="maxWaitMs"/> for a message
        /// when there is nothing to do (0: never waits).
        /// </summary>
        public void Poll(int maxWaitMs)
        {
            if (RestartRequested || _stop)
            {
                return;
            }

            if (!_settled)
            {
                _settled = true;
                Settle();
                if (RestartRequested)
                {
                    return;
                }
            }

            if (!EnsureConnected())
            {
                _inbound.Wait(maxWaitMs);
                return;
            }

            DrainInbound();
            if (RestartRequested)
            {
                return;
            }

            switch (_state)
            {
                case UpdateState.Downloading:
                    if (_journal.Offer.Source == DownloadSource.HttpRange)
                    {
                        DownloadOverHttp();
                    }
                    else
                    {
                        StepChunks();
                    }

                    break;
                case UpdateState.Verifying:
                    Verify();
                    break;
                case UpdateState.Staged:
                    Install();
                    break;
            }

            if (_state != UpdateState.Verifying && _state != UpdateState.Staged)
            {
                _inbound.Wait(maxWaitMs);
            }
        }

        // ---- boot: settle what the journal says happened before this boot ----

        private void Settle()
        {
            _journal.Load();
            IBootControl boot = _ports.Boot;
            int running = boot.RunningSlot;
            ImageState runningState = boot.GetState(running);
            UpdateState recorded = _journal.State;
            bool ours = _journal.Offer != null && _journal.TargetSlot == running;

            if (recorded == UpdateState.RolledBack && ours && runningState == ImageState.PendingVerify)
            {
                // The rollback was recorded but the power went before it took effect: do it now.
                RollBackAndReboot();
                return;
            }

            if (runningState == ImageState.PendingVerify || runningState == ImageState.New)
            {
                TrialBoot(ours);
                return;
            }

            switch (recorded)
            {
                case UpdateState.Rebooting:
                case UpdateState.Testing:
                    if (ours)
                    {
                        // The image was already confirmed when the power went: record it.
                        _journal.State = UpdateState.Confirmed;
                        _journal.OutcomePending = true;
                        _journal.Save();
                        SetState(UpdateState.Confirmed);
                    }
                    else if (_journal.BootFailures + 1 < MaxBootFailures && SlotHoldsOffer())
                    {
                        // The bootloader went back to the old slot, but the image is still intact in the update
                        // slot: ESP-IDF forgets a trial boot the power interrupted (PendingVerify becomes Aborted,
                        // a torn otadata copy is invalid). Select it again rather than download it again.
                        _journal.BootFailures++;
                        _journal.State = UpdateState.Staged;
                        _journal.Save();
                        Notice("the trial boot of " + _journal.Offer.Version + " was interrupted; selecting it again");
                        SetState(UpdateState.Staged);
                    }
                    else
                    {
                        // The bootloader went back to the old slot: the new image never confirmed itself
                        // (it crashed or hung, or the power went while it was confirming).
                        Refuse(UpdateError.BootFailed, "the new image did not confirm itself; the bootloader rolled back");
                    }

                    break;
                case UpdateState.RolledBack:
                    _lastError = _journal.Error;
                    SetState(UpdateState.RolledBack);
                    break;
                case UpdateState.Confirmed:
                    SetState(UpdateState.Confirmed);
                    break;
                case UpdateState.Offered:
                case UpdateState.Downloading:
                case UpdateState.Verifying:
                    if (_journal.Offer != null && StartReceiving(true))
                    {
                        Notice("resuming the download of " + _journal.Offer.Version + " at byte " + _journal.Position);
                        SetState(UpdateState.Downloading);
                    }
                    else
                    {
                        _journal.State = UpdateState.Idle;
                        _journal.ClearOffer();
                        _journal.Save();
                    }

                    break;
                case UpdateState.Staged:
                    SetState(UpdateState.Staged);
                    break;
                case UpdateState.Failed:
                    _lastError = _journal.Error;
                    SetState(UpdateState.Failed);
                    break;
            }
        }

        /// <summary>True when the update slot still holds the journal's image: one read pass, its digest against the offer's.</summary>
        private bool SlotHoldsOffer()
        {
            UpdateOffer offer = _journal.Offer;
            if (offer == null || offer.Size <= 0 || _journal.TargetSlot != _ports.Boot.UpdateSlot)
            {
                return false;
            }

            IFlashSlot slot = _ports.Boot.OpenUpdateSlot();
            IIncrementalHash hash = HashFactory.Create(offer.HashAlgorithm);
            if (slot == null || hash == null)
            {
                return false;
            }

            for (long at = 0; at < offer.Size; at += _buffer.Length)
            {
                int n = offer.Size - at < _buffer.Length ? (int)(offer.Size - at) : _buffer.Length;
                if (!slot.Read(at, _buffer, 0, n))
                {
                    return false;
                }

                hash.Update(_buffer, 0, n);
            }

            byte[] digest = new byte[hash.HashSize];
            hash.Final(digest, 0);
            return Hex.EqualsDigest(offer.Hash, digest, 0, digest.Length);
        }

        private void TrialBoot(bool ours)
        {
            SetState(UpdateState.Testing);
            if (ours)
            {
                _journal.State = UpdateState.Testing;
                _journal.BootAttempts++;
                _journal.Save();
            }

            string reason;
            bool passed;
            if (ours && _journal.BootAttempts > MaxTrialBoots)
            {
                passed = false;
                reason = "the new image restarted " + (_journal.BootAttempts - 1) + " times before confirming";
            }
            else
            {
                passed = RunSelfTest(out reason);
            }

            if (passed)
            {
                if (!_ports.Boot.MarkRunningValid())
                {
                    passed = false;
                    reason = "the boot control could not mark the image valid";
                }
            }

            if (passed)
            {
                if (ours)
                {
                    if (_journal.SecureVersion > 0)
                    {
                        // Anti-rollback: only a confirmed image raises the minimum.
                        SecureVersionStore.Raise(_ports.Storage, _journal.SecureVersion);
                    }

                    _journal.State = UpdateState.Confirmed;
                    _journal.OutcomePending = true;
                    _journal.Save();
                }

                SetState(UpdateState.Confirmed);
                return;
            }

            _lastError = UpdateError.SelfTestFailed;
            _lastMessage = "self-test failed: " + reason;
            if (ours)
            {
                _journal.State = UpdateState.RolledBack;
                _journal.Error = UpdateError.SelfTestFailed;
                RememberRefused(_journal.Offer);
                _journal.OutcomePending = true;
                _journal.Save();
            }

            Notice(_lastMessage);
            RollBackAndReboot();
        }

        private bool RunSelfTest(out string reason)
        {
            if (_selfTest == null)
            {
                reason = null;
                return true;
            }

            SelfTestRun run = new SelfTestRun(_selfTest);
            Thread thread = new Thread(run.Execute);
            thread.Start();
            if (!thread.Join(_settings.SelfTestTimeoutSeconds * 1000))
            {
                reason = "no answer within " + _settings.SelfTestTimeoutSeconds + " s";
                return false;
            }

            reason = run.Reason;
            return run.Passed;
        }

        private void RollBackAndReboot()
        {
            SetState(UpdateState.RolledBack);
            _ports.Boot.RollBack();
            Reboot();
        }

        private void Reboot()
        {
            RestartRequested = true;
            _ports.Boot.Reboot();
        }

        // ---- broker connection ----

        private bool EnsureConnected()
        {
            IMqttPort mqtt = _ports.Mqtt;
            if (mqtt.IsConnected)
            {
                return true;
            }

            long now = _ports.Clock.UptimeMs;
            if (now < _nextConnectAt)
            {
                return false;
            }

            MqttCredentials c = _adapter.GetCredentials();
            if (!mqtt.Connect(c.ClientId, c.Username, c.Password))
            {
                _nextConnectAt = now + _connectBackoff.NextDelayMs();
                Notice("cannot reach the broker; retrying");
                return false;
            }

            _connectBackoff.Reset();
            string[] topics = _adapter.SubscribeTopics;
            for (int i = 0; i < topics.Length; i++)
            {
                mqtt.Subscribe(topics[i]);
            }

            Notice("connected to the broker");
            _adapter.OnConnected(_runningVersion, _publisher);
            ReportOutcome();
            if (_state == UpdateState.Downloading && _slotRequested != null)
            {
                // Requests sent before the link dropped may be lost: ask again.
                for (int i = 0; i < _slotRequested.Length; i++)
                {
                    _slotRequested[i] = false;
                }
            }

            return true;
        }

        private void ReportOutcome()
        {
            if (!_journal.OutcomePending)
            {
                return;
            }

            StatusReport r = NewReport();
            if (_journal.State == UpdateState.Confirmed)
            {
                r.Kind = ReportKind.Updated;
            }
            else
            {
                r.Kind = ReportKind.Failed;
                r.Error = _journal.Error;
                r.Message = _lastMessage != null ? _lastMessage : ErrorName(_journal.Error);
            }

            _adapter.Report(r, _publisher);
            _journal.OutcomePending = false;
            _journal.Save();
        }

        private void OnMqttMessage(string topic, byte[] payload)
        {
            _inbound.Enqueue(topic, payload);
        }

        private void OnMqttDisconnected(string reason)
        {
            _inbound.Wake();
        }

        // ---- inbound messages ----

        private void DrainInbound()
        {
            string topic;
            byte[] payload;
            while (!RestartRequested && !_stop && _inbound.TryDequeue(out topic, out payload))
            {
                _message.Clear();
                try
                {
                    _adapter.Parse(topic, payload, _message, _publisher);
                }
                catch (Exception ex)
                {
                    // An adapter must not throw; if one does, the message is malformed, not the agent.
                    _message.Clear();
                    _message.Kind = InboundKind.Malformed;
                    _message.Error = "unreadable message on " + topic + ": " + ex.Message;
                }

                switch (_message.Kind)
                {
                    case InboundKind.Offer:
                        HandleOffer(_message.Offer);
                        break;
                    case InboundKind.Chunk:
                        HandleChunk(_message.ChunkIndex, _message.Payload, _message.ChunkOffset, _message.ChunkLength);
                        break;
                    case InboundKind.NoUpdate:
                        Notice("the platform has no update for this device");
                        break;
                    case InboundKind.Malformed:
                        HandleMalformed(_message.Error);
                        break;
                }
            }
        }

        private void HandleMalformed(string error)
        {
            _lastMessage = error;
            Notice(error);
            if (!Busy)
            {
                StatusReport r = NewReport();
                r.Kind = ReportKind.Failed;
                r.Error = UpdateError.InvalidOffer;
                r.Message = error;
                _adapter.Report(r, _publisher);
            }
        }

        private bool Busy
        {
            get
            {
                return _state == UpdateState.Offered || _state == UpdateState.Downloading
                    || _state == UpdateState.Verifying || _state == UpdateState.Staged
                    || _state == UpdateState.Rebooting || _state == UpdateState.Testing;
            }
        }

        // ---- offers ----

        private void HandleOffer(UpdateOffer offer)
        {
            if (offer == null)
            {
                return;
            }

            if (Busy)
            {
                if (offer.SameImageAs(_journal.Offer))
                {
                    return;
                }

                if (_state != UpdateState.Downloading && _state != UpdateState.Offered)
                {
                    Notice("offer of " + offer.Version + " ignored: an update is being installed");
                    return;
                }

                Notice("a new release replaces the download in progress");
            }

            if (offer.Version != null && offer.Version == _runningVersion)
            {
                // Already running it (the platform repeats its release on every connect).
                return;
            }

            if (_journal.RefusedVersion != null && offer.Version == _journal.RefusedVersion
                && offer.Hash == _journal.RefusedHash)
            {
                Notice("offer of " + offer.Version + " ignored: this image failed before");
                return;
            }

            string why;
            UpdateError error = Check(offer, out why);
            if (error != UpdateError.None)
            {
                Fail(error, why, offer);
                return;
            }

            if (!offer.SameImageAs(_journal.Offer))
            {
                _journal.BootFailures = 0;
            }

            _journal.State = UpdateState.Offered;
            _journal.Error = UpdateError.None;
            _journal.ClearOffer();
            _journal.Offer = offer;
            _journal.TargetSlot = _ports.Boot.UpdateSlot;
            _journal.PreviousVersion = _runningVersion;
            _journal.OutcomePending = false;
            _journal.Save();
            _lastError = UpdateError.None;
            _lastMessage = null;
            SetState(UpdateState.Offered);
            Notice("update offered: " + offer.Version + " (" + offer.Size + " bytes, "
                + HashFactory.Name(offer.HashAlgorithm) + ")");

            _receiving = false;
            if (offer.Size > 0 && !StartReceiving(false))
            {
                return;
            }

            _journal.State = UpdateState.Downloading;
            _journal.Save();
            _reportedPercent = -1;
            SetState(UpdateState.Downloading);
            ReportProgress(0);
        }

        /// <summary>Everything that can be known before a byte is downloaded or erased.</summary>
        private UpdateError Check(UpdateOffer offer, out string why)
        {
            why = null;
            if (!VersionComparer.IsValid(offer.Version))
            {
                why = "the offered version '" + offer.Version + "' is not a version";
                return UpdateError.InvalidOffer;
            }

            if (offer.Hash == null || offer.Hash.Length == 0 || offer.Hash.Length > UpdateJournal.MaxText
                || (offer.Title != null && offer.Title.Length > UpdateJournal.MaxText)
                || (offer.MessageId != null && offer.MessageId.Length > UpdateJournal.MaxText))
            {
                why = "the offer has no usable checksum";
                return UpdateError.InvalidOffer;
            }

            if (HashFactory.Create(offer.HashAlgorithm) == null)
            {
                why = "the checksum algorithm is not supported";
                return UpdateError.UnsupportedAlgorithm;
            }

            if (!_settings.AllowDowngrade && VersionComparer.Compare(offer.Version, _runningVersion) < 0)
            {
                why = "downgrade from " + _runningVersion + " to " + offer.Version + " refused by the settings";
                return UpdateError.DowngradeRefused;
            }

            if (offer.Source == DownloadSource.HttpRange)
            {
                UpdateError urlError = CheckUrl(offer.Url, out why);
                if (urlError != UpdateError.None)
                {
                    return urlError;
                }
            }
            else if (offer.Size <= 0)
            {
                why = "the offer does not give the image size";
                return UpdateError.InvalidOffer;
            }

            if (offer.Size > 0)
            {
                IFlashSlot slot = _ports.Boot.OpenUpdateSlot();
                if (slot == null)
                {
                    why = "there is no update slot";
                    return UpdateError.FlashFailed;
                }

                if (!SlotWriter.Fits(slot, offer.Size))
                {
                    why = "the image (" + offer.Size + " bytes) does not fit the " + slot.Size + "-byte slot";
                    return UpdateError.NotEnoughSpace;
                }
            }

            return UpdateError.None;
        }

        /// <summary>Checks a download URL against the settings: scheme, TLS requirement, allowed hosts.</summary>
        public UpdateError CheckUrl(string url, out string why)
        {
            why = null;
            if (url == null || url.Length == 0 || url.Length > UpdateJournal.MaxUrl)
            {
                why = "the offer has no usable download URL";
                return UpdateError.InvalidUri;
            }

            string lower = url.ToLower();
            bool https = lower.StartsWith("https://");
            if (!https && !lower.StartsWith("http://"))
            {
                why = "the download URL is not http(s): " + url;
                return UpdateError.InvalidUri;
            }

            if (_settings.RequireTls && !https)
            {
                why = "plain-HTTP download refused: the settings require TLS";
                return UpdateError.UriNotAllowed;
            }

            int start = https ? 8 : 7;
            int end = start;
            while (end < lower.Length && lower[end] != '/' && lower[end] != ':' && lower[end] != '?')
            {
                end++;
            }

            string host = lower.Substring(start, end - start);
            if (host.Length == 0)
            {
                why = "the download URL has no host";
                return UpdateError.InvalidUri;
            }

            string[] allowed = _settings.AllowedHosts;
            if (allowed != null && allowed.Length > 0)
            {
                for (int i = 0; i < allowed.Length; i++)
                {
                    if (allowed[i] != null && allowed[i].ToLower() == host)
                    {
                        return UpdateError.None;
                    }
                }

                why = "download host '" + host + "' is not allowed by the settings";
                return UpdateError.UriNotAllowed;
            }

            return UpdateError.None;
        }

        private bool StartReceiving(bool resume)
        {
            UpdateOffer offer = _journal.Offer;
            IFlashSlot slot = _ports.Boot.OpenUpdateSlot();
            long position = resume ? _journal.Position : 0;
            byte[] state = resume && _journal.HashStateLength > 0 ? _journal.HashState : null;
            if (position > 0 && state == null)
            {
                position = 0;
            }

            long every = CheckpointInterval(slot);
            if (slot == null || !_receiver.Start(slot, offer.Size, offer.HashAlgorithm, every, position, state, 0, this))
            {
                if (resume && position > 0 && slot != null
                    && _receiver.Start(slot, offer.Size, offer.HashAlgorithm, every, 0, null, 0, this))
                {
                    _journal.Position = 0;
                }
                else
                {
                    Fail(slot == null ? UpdateError.FlashFailed : UpdateError.NotEnoughSpace,
                        "the update slot cannot take this image", offer);
                    return false;
                }
            }

            if (_signature != null)
            {
                long at = _receiver.Position;
                if (at > 0)
                {
                    // Rebuild the signature digest from what is already in the slot: one read pass, only on resume.
                    _signature.Resume(slot, offer.Size, at, _buffer);
                }
                else
                {
                    _signature.Begin(offer.Size);
                }
            }

            _receiving = true;
            if (offer.Source == DownloadSource.MqttChunks)
            {
                StartChunkWindow();
            }

            return true;
        }

        private long CheckpointInterval(IFlashSlot slot)
        {
            long every = _settings.CheckpointBytes;
            int sector = slot == null ? 4096 : slot.SectorSize;
            if (every < sector)
            {
                every = sector;
            }

            return every - (every % sector);
        }

        /// <summary>Called by the receiver at each checkpoint boundary: persist position and hash state.</summary>
        public void Checkpoint(long position, IIncrementalHash hash)
        {
            _journal.Checkpoint(position, hash);
        }

        // ---- download over HTTP range requests ----

        private void DownloadOverHttp()
        {
            IHttpRangeSource http = _ports.Http;
            UpdateOffer offer = _journal.Offer;
            if (http == null)
            {
                Fail(UpdateError.InvalidUri, "this device has no HTTP client", offer);
                return;
            }

            Backoff backoff = new Backoff(1000, 30000, _settings.Retries);
            while (!_stop)
            {
                long position = _receiving ? _receiver.Position : 0;
                HttpOpenResult opened = http.Open(offer.Url, position);
                UpdateError error = UpdateError.None;
                string why = null;
                bool retry = false;
                switch (opened)
                {
                    case HttpOpenResult.Ok:
                    case HttpOpenResult.RangeIgnored:
                        if (!_receiving && !BeginUnsizedDownload(http.TotalLength))
                        {
                            http.Close();
                            return;
                        }

                        long from = opened == HttpOpenResult.RangeIgnored ? 0 : position;
                        long before = _receiver.Position;
                        int outcome = ReadBody(http, from, out why);
                        if (_receiver.Position > before)
                        {
                            backoff.Reset();
                        }

                        if (outcome > 0)
                        {
                            http.Close();
                            SetState(UpdateState.Verifying);
                            return;
                        }

                        if (_stop)
                        {
                            // Stopped by the host: the journal holds the last checkpoint.
                            http.Close();
                            return;
                        }

                        if (outcome < 0)
                        {
                            http.Close();
                            Fail(UpdateError.FlashFailed, why, offer);
                            return;
                        }

                        if (why != null && why.StartsWith("invalid:"))
                        {
                            http.Close();
                            Fail(UpdateError.InvalidImage, why.Substring(8), offer);
                            return;
                        }

                        retry = true;
                        break;
                    case HttpOpenResult.NotFound:
                        error = UpdateError.FileNotFound;
                        why = "the image URL answered 404";
                        break;
                    case HttpOpenResult.Forbidden:
                        error = UpdateError.AccessDenied;
                        why = "the image URL refused access";
                        break;
                    case HttpOpenResult.InvalidUrl:
                        error = UpdateError.InvalidUri;
                        why = "the image URL is not valid";
                        break;
                    case HttpOpenResult.RangeNotSatisfiable:
                        error = UpdateError.DownloadFailed;
                        why = "the server has fewer bytes than the offer declared";
                        break;
                    default:
                        retry = true;
                        why = "the download failed";
                        break;
                }

                http.Close();
                if (!retry)
                {
                    Fail(error, why, offer);
                    return;
                }

                if (backoff.Exhausted)
                {
                    Fail(UpdateError.DownloadFailed, "download failed " + backoff.Attempts + " times; giving up: " + why, offer);
                    return;
                }

                int delay = backoff.NextDelayMs();
                Notice("download interrupted at byte " + _receiver.Position + " (" + why + "); retrying in " + delay + " ms");
                _ports.Clock.Sleep(delay);
            }
        }

        private bool BeginUnsizedDownload(long totalLength)
        {
            UpdateOffer offer = _journal.Offer;
            IFlashSlot slot = _ports.Boot.OpenUpdateSlot();
            if (totalLength <= 0)
            {
                Fail(UpdateError.InvalidOffer, "neither the offer nor the server gives the image size", offer);
                return false;
            }

            if (!SlotWriter.Fits(slot, totalLength))
            {
                Fail(UpdateError.NotEnoughSpace, "the image (" + totalLength + " bytes) does not fit the slot", offer);
                return false;
            }

            offer.Size = totalLength;
            _journal.Save();
            return StartReceiving(false);
        }

        /// <summary>
        /// Reads one response body into the receiver. Returns 1 when the image is complete, 0 when the
        /// body ended early or broke (retry; why says how), -1 on a flash failure.
        /// </summary>
        private int ReadBody(IHttpRangeSource http, long bodyOffset, out string why)
        {
            why = null;
            long at = bodyOffset;
            while (!_stop)
            {
                int n = http.Read(_buffer, 0, _buffer.Length);
                if (n == 0)
                {
                    if (_receiver.Complete)
                    {
                        return 1;
                    }

                    why = "the body ended at byte " + _receiver.Position + " of " + _receiver.Size;
                    return 0;
                }

                if (n < 0)
                {
                    why = "the connection broke";
                    return 0;
                }

                AcceptResult r = _receiver.Accept(at, _buffer, 0, n);
                at += n;
                if (r == AcceptResult.FlashFailed)
                {
                    why = "writing the update slot failed at byte " + _receiver.Position;
                    return -1;
                }

                if (r == AcceptResult.TooLong)
                {
                    why = "invalid:the server sent more than the declared " + _receiver.Size + " bytes";
                    return 0;
                }

                if (r == AcceptResult.Gap)
                {
                    why = "the server skipped bytes";
                    return 0;
                }

                ProgressStep();
                if (_receiver.Complete)
                {
                    return 1;
                }
            }

            why = "stopped";
            return 0;
        }

        // ---- download over MQTT chunks ----

        private void StartChunkWindow()
        {
            _chunkSize = _settings.ChunkSize;
            _window = _settings.Window < 1 ? 1 : _settings.Window;
            _chunkCount = (int)((_receiver.Size + _chunkSize - 1) / _chunkSize);
            _nextChunk = (int)(_receiver.Position / _chunkSize);
            if (_slotIndex == null || _slotIndex.Length != _window)
            {
                _slotIndex = new int[_window];
                _slotRequested = new bool[_window];
                _slotPayload = new byte[_window][];
                _slotOffset = new int[_window];
                _slotLength = new int[_window];
            }

            for (int i = 0; i < _window; i++)
            {
                _slotIndex[i] = -1;
                _slotRequested[i] = false;
                _slotPayload[i] = null;
            }

            _chunkRetries = 0;
            _lastChunkProgressAt = _ports.Clock.UptimeMs;
        }

        private void StepChunks()
        {
            if (!_receiving)
            {
                return;
            }

            long now = _ports.Clock.UptimeMs;
            if (now - _lastChunkProgressAt > _settings.TimeoutMs)
            {
                _chunkRetries++;
                if (_chunkRetries > _settings.Retries)
                {
                    Fail(UpdateError.DownloadFailed, "chunk " + _nextChunk + " never arrived after "
                        + _settings.Retries + " requests", _journal.Offer);
                    return;
                }

                Notice("chunk " + _nextChunk + " timed out; asking again");
                for (int i = 0; i < _window; i++)
                {
                    if (_slotPayload[i] == null)
                    {
                        _slotRequested[i] = false;
                    }
                }

                _lastChunkProgressAt = now;
            }

            int last = _nextChunk + _window;
            if (last > _chunkCount)
            {
                last = _chunkCount;
            }

            for (int index = _nextChunk; index < last; index++)
            {
                int s = index % _window;
                if (_slotIndex[s] != index)
                {
                    _slotIndex[s] = index;
                    _slotRequested[s] = false;
                    _slotPayload[s] = null;
                }

                if (!_slotRequested[s])
                {
                    _slotRequested[s] = _adapter.RequestChunk(_journal.Offer, index, _chunkSize, _publisher);
                }
            }
        }

        private void HandleChunk(int index, byte[] payload, int offset, int length)
        {
            if (_state != UpdateState.Downloading || !_receiving || _journal.Offer.Source != DownloadSource.MqttChunks)
            {
                return;
            }

            if (index < _nextChunk || index >= _nextChunk + _window || index >= _chunkCount || payload == null)
            {
                return; // a duplicate, or not asked for
            }

            long expected = _receiver.Size - (long)index * _chunkSize;
            if (expected > _chunkSize)
            {
                expected = _chunkSize;
            }

            int s = index % _window;
            if (length != expected || offset < 0 || offset + length > payload.Length)
            {
                // Truncated or padded: drop it and ask again.
                _slotIndex[s] = index;
                _slotPayload[s] = null;
                _slotRequested[s] = false;
                Notice("chunk " + index + " had " + length + " bytes, expected " + expected + "; asking again");
                return;
            }

            _slotIndex[s] = index;
            _slotPayload[s] = payload;
            _slotOffset[s] = offset;
            _slotLength[s] = length;

            // Write whatever is now contiguous, in order.
            while (_nextChunk < _chunkCount)
            {
                int k = _nextChunk % _window;
                if (_slotIndex[k] != _nextChunk || _slotPayload[k] == null)
                {
                    break;
                }

                AcceptResult r = _receiver.Accept((long)_nextChunk * _chunkSize, _slotPayload[k], _slotOffset[k], _slotLength[k]);
                _slotPayload[k] = null;
                _slotRequested[k] = false;
                _slotIndex[k] = -1;
                if (r == AcceptResult.FlashFailed)
                {
                    Fail(UpdateError.FlashFailed, "writing the update slot failed at byte " + _receiver.Position, _journal.Offer);
                    return;
                }

                _nextChunk++;
                _chunkRetries = 0;
                _lastChunkProgressAt = _ports.Clock.UptimeMs;
            }

            ProgressStep();
            if (_receiver.Complete)
            {
                SetState(UpdateState.Verifying);
            }
            else
            {
                StepChunks();
            }
        }

        // ---- verify and install ----

        private void Verify()
        {
            UpdateOffer offer = _journal.Offer;
            _journal.State = UpdateState.Verifying;
            if (!_receiver.Finish())
            {
                Fail(UpdateError.DownloadFailed, "the image is incomplete", offer);
                return;
            }

            ReportProgress(100);
            Report(ReportKind.Downloaded);
            if (!_receiver.DigestMatches(offer.Hash))
            {
                // Remembered before Fail, whose journal save keeps it: a single write.
                RememberRefused(offer);
                Fail(UpdateError.ChecksumMismatch, HashFactory.Name(offer.HashAlgorithm) + " of the download is "
                    + _receiver.DigestHex + ", the platform announced " + offer.Hash, offer);
                return;
            }

            if (_signature != null)
            {
                SignatureFailure reason;
                if (!_signature.Verify(_signingKey, offer.Version, SecureVersionStore.Read(_ports.Storage), out reason))
                {
                    RememberRefused(offer);
                    Fail(SignedImageVerifier.ToUpdateError(reason), SignedImageVerifier.Describe(reason), offer);
                    return;
                }

                _journal.SecureVersion = _signature.SecureVersion;
                Notice("signature verified: " + offer.Version + " signed by the settings' key, secure version " + _signature.SecureVersion);
            }

            _journal.Digest = _receiver.DigestHex;
            _journal.State = UpdateState.Staged;
            _journal.Save();
            Report(ReportKind.Verified);
            SetState(UpdateState.Staged);
        }

        private void Install()
        {
            Report(ReportKind.Installing);
            if (!_ports.Boot.SetBootSlot(_journal.TargetSlot))
            {
                Fail(UpdateError.FlashFailed, "the boot control refused to select the new slot", _journal.Offer);
                return;
            }

            _journal.State = UpdateState.Rebooting;
            _journal.BootAttempts = 0;
            _journal.Save();
            SetState(UpdateState.Rebooting);
            Reboot();
        }

        // ---- failures, reports, events ----

        private void Fail(UpdateError error, string why, UpdateOffer offer)
        {
            _lastError = error;
            _lastMessage = why;
            _receiving = false;
            _journal.State = UpdateState.Failed;
            _journal.Error = error;
            _journal.ClearOffer();
            _journal.Save();
            StatusReport r = NewReport();
            r.Kind = ReportKind.Failed;
            r.Error = error;
            r.Message = why;
            r.Offer = offer;
            _adapter.Report(r, _publisher);
            Notice("update failed (" + ErrorName(error) + "): " + why);
            SetState(UpdateState.Failed);
        }

        private void Refuse(UpdateError error, string why)
        {
            _lastError = error;
            _lastMessage = why;
            _journal.State = UpdateState.RolledBack;
            _journal.Error = error;
            _journal.BootFailures++;
            if (_journal.BootFailures >= MaxBootFailures)
            {
                // Once may be a power cut during the confirmation; twice is the image.
                RememberRefused(_journal.Offer);
            }

            _journal.OutcomePending = true;
            _journal.Save();
            Notice(why);
            SetState(UpdateState.RolledBack);
        }

        private void RememberRefused(UpdateOffer offer)
        {
            if (offer != null)
            {
                _journal.RefusedVersion = offer.Version;
                _journal.RefusedHash = offer.Hash;
            }
        }

        private void ProgressStep()
        {
            _event.Kind = AgentEventKind.Progress;
            _event.State = _state;
            _event.Error = UpdateError.None;
            _event.Position = _receiver.Position;
            _event.Size = _receiver.Size;
            _event.Message = null;
            Raise();
            if (_receiver.Size > 0)
            {
                ReportProgress((int)(_receiver.Position * 100 / _receiver.Size));
            }
        }

        /// <summary>Reports download percent to the platform, at most every few percent or seconds.</summary>
        private void ReportProgress(int percent)
        {
            long now = _ports.Clock.UptimeMs;
            bool due = _reportedPercent < 0
                || percent >= _reportedPercent + _settings.ProgressStepPercent
                || (percent > _reportedPercent && now - _reportedAt >= _settings.ProgressIntervalMs)
                || (percent == 100 && _reportedPercent != 100);
            if (!due)
            {
                return;
            }

            _reportedPercent = percent;
            _reportedAt = now;
            StatusReport r = NewReport();
            r.Kind = ReportKind.Downloading;
            r.Percent = percent;
            _adapter.Report(r, _publisher);
        }

        private void Report(ReportKind kind)
        {
            StatusReport r = NewReport();
            r.Kind = kind;
            _adapter.Report(r, _publisher);
        }

        private StatusReport NewReport()
        {
            StatusReport r = new StatusReport();
            r.RunningVersion = _runningVersion;
            r.Offer = _journal.Offer;
            return r;
        }

        private void SetState(UpdateState state)
        {
            if (_state == state)
            {
                return;
            }

            _state = state;
            _event.Kind = AgentEventKind.StateChanged;
            _event.State = state;
            _event.Error = _lastError;
            _event.Position = _receiving ? _receiver.Position : 0;
            _event.Size = _receiving ? _receiver.Size : 0;
            _event.Message = state == UpdateState.Failed || state == UpdateState.RolledBack ? _lastMessage : null;
            Raise();
        }

        private void Notice(string message)
        {
            _event.Kind = AgentEventKind.Message;
            _event.State = _state;
            _event.Error = _lastError;
            _event.Position = _receiving ? _receiver.Position : 0;
            _event.Size = _receiving ? _receiver.Size : 0;
            _event.Message = message;
            Raise();
        }

        private void Raise()
        {
            AgentEventHandler handler = Changed;
            if (handler != null)
            {
                handler(this, _event);
            }
        }

        /// <summary>The lifecycle state's name, for logs and reports.</summary>
        public static string StateName(UpdateState state)
        {
            switch (state)
            {
                case UpdateState.Idle: return "idle";
                case UpdateState.Offered: return "offered";
                case UpdateState.Downloading: return "downloading";
                case UpdateState.Verifying: return "verifying";
                case UpdateState.Staged: return "staged";
                case UpdateState.Rebooting: return "rebooting";
                case UpdateState.Testing: return "testing";
                case UpdateState.Confirmed: return "confirmed";
                case UpdateState.RolledBack: return "rolled back";
                case UpdateState.Failed: return "failed";
                default: return "unknown";
            }
        }

        /// <summary>The error's name, for logs and reports.</summary>
        public static string ErrorName(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.None: return "none";
                case UpdateError.InvalidOffer: return "invalid offer";
                case UpdateError.NotEnoughSpace: return "not enough space";
                case UpdateError.InvalidUri: return "invalid URI";
                case UpdateError.UriNotAllowed: return "URI not allowed";
                case UpdateError.FileNotFound: return "file not found";
                case UpdateError.AccessDenied: return "access denied";
                case UpdateError.DownloadFailed: return "download failed";
                case UpdateError.ChecksumMismatch: return "checksum mismatch";
                case UpdateError.SignatureInvalid: return "signature invalid";
                case UpdateError.UnsupportedAlgorithm: return "unsupported algorithm";
                case UpdateError.InvalidImage: return "invalid image";
                case UpdateError.DowngradeRefused: return "downgrade refused";
                case UpdateError.FlashFailed: return "flash failed";
                case UpdateError.SelfTestFailed: return "self-test failed";
                case UpdateError.BootFailed: return "boot failed";
                default: return "unknown";
            }
        }

        private sealed class SelfTestRun
        {
            private readonly ISelfTest _test;
            public bool Passed;
            public string Reason;

            public SelfTestRun(ISelfTest test)
            {
                _test = test;
            }

            public void Execute()
            {
                try
                {
                    string reason;
                    Passed = _test.Run(out reason);
                    Reason = reason;
                }
                catch (Exception ex)
                {
                    Passed = false;
                    Reason = "the self-test threw " + ex.Message;
                }
            }
        }

        private sealed class MqttPublisher : IPublisher
        {
            private readonly IMqttPort _mqtt;

            public MqttPublisher(IMqttPort mqtt)
            {
                _mqtt = mqtt;
            }

            public bool Publish(string topic, byte[] payload, int qos)
            {
                return _mqtt.IsConnected && _mqtt.Publish(topic, payload, qos);
            }
        }
    }
}
