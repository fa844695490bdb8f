// core.jitsi: Jitsi room names and join URLs (docs/domain.md#jitsi-rooms).
import { requireString, unwrapJson } from './native.js';

/** @param {any} M the Emscripten module */
export function makeJitsi(M) {
  return Object.freeze({
    /**
     * Room of a mentorship session: `mg-{sessionKey}-{first 16 hex of sha256(sessionKey)}` (docs/domain.md#jitsi-rooms).
     * @param {string} sessionKey the session entity's key
     * @returns {string}
     */
    roomName(sessionKey) {
      return unwrapJson(M.jitsi_roomName(requireString(sessionKey, 'sessionKey')));
    },
    /**
     * Join URL: `baseUrl` (default https://meet.jit.si, trailing slashes dropped) + '/' + encodeURIComponent(roomName).
     * @param {string} roomName
     * @param {string} [baseUrl]
     * @returns {string}
     */
    joinUrl(roomName, baseUrl) {
      requireString(roomName, 'roomName');
      if (baseUrl !== undefined && baseUrl !== null) requireString(baseUrl, 'baseUrl');
      return unwrapJson(M.jitsi_joinUrl(roomName, baseUrl ?? ''));
    },
    /** A new gathering room name: `gathering-{32 hex}` from 128 random bits made in WASM. */
    gatheringRoomName() {
      return unwrapJson(M.jitsi_gatheringRoomName());
    },
  });
}
