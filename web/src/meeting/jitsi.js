// Loads the Jitsi Meet IFrame API (external_api.js) from the deployment and opens a room.
// Offline (the script cannot load), it rejects with a message the page shows instead of failing silently.

/**
 * @param {string} baseUrl e.g. https://meet.jit.si
 * @param {number} [timeoutMs]
 * @returns {Promise<typeof window.JitsiMeetExternalAPI>}
 */
export function loadJitsiApi(baseUrl, timeoutMs = 10000) {
  if (typeof window.JitsiMeetExternalAPI === 'function') return Promise.resolve(window.JitsiMeetExternalAPI);
  const src = `${baseUrl.replace(/\/+$/, '')}/external_api.js`;
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    const timer = setTimeout(() => fail(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
    function fail(why) {
      clearTimeout(timer);
      script.remove();
      reject(new Error(`The Jitsi IFrame API could not be loaded from ${src} (${why}). Are you offline?`));
    }
    script.src = src;
    script.async = true;
    script.onload = () => {
      clearTimeout(timer);
      if (typeof window.JitsiMeetExternalAPI === 'function') resolve(window.JitsiMeetExternalAPI);
      else fail('the script did not define JitsiMeetExternalAPI');
    };
    script.onerror = () => fail('network error');
    document.head.append(script);
  });
}

/** The host name JitsiMeetExternalAPI takes as its first argument. */
export function jitsiDomain(baseUrl) {
  return new URL(baseUrl).host;
}
