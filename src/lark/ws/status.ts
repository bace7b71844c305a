/** What /healthz says about the long connection (LARK_MODE=ws). */
export interface LongConnectionStatus {
  /** The SDK's state: connecting, connected, reconnecting, idle, failed; `closed` after stop(). */
  state: 'connecting' | 'connected' | 'reconnecting' | 'idle' | 'failed' | 'closed';
  /** When the connection last came up (first connect or a reconnect). */
  connectedAt: string | null;
  /** When the last event or card callback arrived over it. */
  lastMessageAt: string | null;
  /** Times it came back after a drop or a failure. */
  reconnects: number;
  /** Why it last failed for good (before a restart), in plain words; null when it has not. */
  lastError: string | null;
  /** When a failed connection is tried again. */
  nextAttemptAt: string | null;
}

/** What a running long connection tells about itself (Deps.larkConnection). */
export interface LongConnectionState {
  status(): LongConnectionStatus;
}
