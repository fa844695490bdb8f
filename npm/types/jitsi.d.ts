/** core.jitsi — Jitsi room names and join URLs (docs/domain.md#jitsi-rooms). */
export interface Jitsi {
  /**
   * Room of a mentorship session: `mg-{sessionKey}-{first 16 hex chars of sha256(utf8 sessionKey)}` (docs/domain.md#jitsi-rooms).
   * Deterministic. `roomName('test-session-key') === 'mg-test-session-key-6841b27545a1131e'`.
   * @throws ConveneError `INVALID_TYPE`, `MISSING_FIELD`, `INVALID_ROOM_NAME` (field `sessionKey`)
   */
  roomName(sessionKey: string): string;
  /**
   * `baseUrl` (default `https://meet.jit.si`; trailing slashes dropped) + `/` + encodeURIComponent(roomName).
   * @throws ConveneError `INVALID_ROOM_NAME` (field `roomName`), `INVALID_URL` (field `baseUrl`)
   */
  joinUrl(roomName: string, baseUrl?: string): string;
  /** A fresh gathering room name, `gathering-{32 hex chars}`, from 128 random bits made inside WASM. */
  gatheringRoomName(): string;
}
