// The "you are called" alert of the status page: a chime and a vibration when the number is
// called, for a phone in a pocket. Browsers allow sound (and some vibration) only after the
// visitor has touched the page, so the page offers a button that arms the alert.
"use strict";

const hallqAlert = (() => {
  let audio = null;
  const fired = [];

  function arm() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
    // A short buzz tells the visitor the alert works (where the phone vibrates at all).
    if (navigator.vibrate) navigator.vibrate(60);
    return Boolean(audio);
  }

  // Three rising tones, twice: audible in a noisy hall without a sound file to load.
  function chime() {
    if (!audio || audio.state !== "running") return false;
    const start = audio.currentTime + 0.05;
    [0, 1].forEach((round) => {
      [660, 880, 1100].forEach((hz, i) => {
        const at = start + round * 1.2 + i * 0.25;
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
        tone.connect(gain).connect(audio.destination);
        tone.start(at);
        tone.stop(at + 0.25);
      });
    });
    return true;
  }

  function called() {
    const vibrated = navigator.vibrate ? navigator.vibrate([400, 200, 400, 200, 400]) : false;
    fired.push({ sound: chime(), vibrate: Boolean(vibrated) });
  }

  return { arm, called, fired, get armed() { return Boolean(audio && audio.state === "running"); } };
})();
