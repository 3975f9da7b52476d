// 现场签到: the scanning page. Every scan goes into a queue kept in localStorage first, then the queue is
// sent in order (at most data-max-batch scans a request) whenever the browser is online; a failed send
// is retried with a growing pause, and the queue survives a reload. The camera button shows only where
// the browser has BarcodeDetector. Plain script, no inline code (CSP).
(function () {
  "use strict";
  var root = document.getElementById("check-in");
  if (!root) return;

  var scansURL = root.getAttribute("data-scans-url");
  var countURL = root.getAttribute("data-count-url");
  var csrf = root.getAttribute("data-csrf-token") || "";
  var session = root.getAttribute("data-session") || "";
  var maxBatch = parseInt(root.getAttribute("data-max-batch"), 10) || 200;
  var storageKey = "kexie.check-in.queue." + root.getAttribute("data-subject");

  var form = document.getElementById("check-in-form");
  var input = document.getElementById("check-in-code");
  var list = document.getElementById("recent-scans");
  var pending = document.getElementById("pending");
  var pendingCount = document.getElementById("pending-count");
  var liveCount = document.getElementById("live-count");

  var sending = false;
  var retryDelay = 1000;
  var retryTimer = null;

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) {
      return [];
    }
  }

  var queue = load();

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(queue));
    } catch (e) {
      // Storage full or refused: the queue still lives in memory until sent.
    }
    pending.setAttribute("data-pending-count", String(queue.length));
    pendingCount.textContent = String(queue.length);
    pending.classList.toggle("has-pending", queue.length > 0);
  }

  function newID() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  // HH:mm in China Standard Time, as the server writes it, whatever the phone's own zone.
  function clock(date) {
    var china = new Date(date.getTime() + 8 * 3600 * 1000);
    return pad(china.getUTCHours()) + ":" + pad(china.getUTCMinutes());
  }

  // A QR code may hold a link ending in the code; keep the last part.
  function codeFrom(text) {
    var value = String(text || "").trim();
    var slash = value.lastIndexOf("/");
    if (slash >= 0) value = value.slice(slash + 1);
    var query = value.indexOf("?");
    if (query >= 0) value = value.slice(0, query);
    return value.slice(0, 40);
  }

  // As printed beside the QR code (7F3M-Q9TC) when it has the code's length; the server reads any form.
  function display(code) {
    var plain = code.toUpperCase().replace(/[\s\-－]/g, "");
    return plain.length === 8 ? plain.slice(0, 4) + "-" + plain.slice(4) : code;
  }

  function line(scan) {
    var item = document.getElementById("scan-" + scan.id);
    if (!item) {
      item = document.createElement("li");
      item.id = "scan-" + scan.id;
      var time = document.createElement("span");
      time.className = "scan-time";
      time.textContent = clock(new Date(scan.scannedAt));
      var code = document.createElement("span");
      code.className = "scan-code";
      code.textContent = scan.shown || scan.code;
      var message = document.createElement("span");
      message.className = "scan-message";
      item.appendChild(time);
      item.appendChild(code);
      item.appendChild(message);
      list.insertBefore(item, list.firstChild);
      while (list.children.length > 50) list.removeChild(list.lastChild);
    }
    item.setAttribute("data-code", scan.shown || scan.code);
    return item;
  }

  function show(scan, outcome, message, time) {
    var item = line(scan);
    item.setAttribute("data-outcome", outcome);
    item.querySelector(".scan-message").textContent = message;
    if (time && outcome === "accepted") item.querySelector(".scan-time").textContent = time;
  }

  function setCount(count) {
    if (typeof count !== "number") return;
    liveCount.textContent = String(count);
    liveCount.setAttribute("data-live-count", String(count));
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function flush() {
    if (sending || queue.length === 0) return;
    if (navigator.onLine === false) {
      scheduleRetry();
      return;
    }
    sending = true;
    var batch = queue.slice(0, maxBatch);
    fetch(scansURL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ scans: batch }),
    })
      .then(function (response) {
        // A session that ended sends the request to the log-in page instead of answering JSON.
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.redirected || (response.ok && !json)) {
          var signedOut = new Error("signed out");
          signedOut.refused = 401;
          throw signedOut;
        }
        if (response.status >= 400 && response.status < 500) {
          // Refused as a whole (no permission, signed out, a malformed queue): keep the scans and say so.
          var error = new Error("refused");
          error.refused = response.status;
          throw error;
        }
        if (!response.ok) throw new Error("server");
        return response.json();
      })
      .then(function (answer) {
        var done = {};
        (answer.results || []).forEach(function (result) {
          done[result.id] = true;
          var scan = batch.filter(function (s) { return s.id === result.id; })[0];
          if (scan) show(scan, result.outcome, result.message, result.time);
        });
        queue = queue.filter(function (scan) { return !done[scan.id]; });
        save();
        setCount(answer.count);
        retryDelay = 1000;
        sending = false;
        if (queue.length > 0) flush();
      })
      .catch(function (error) {
        sending = false;
        if (error && error.refused) {
          batch.forEach(function (scan) {
            show(scan, "pending", error.refused === 401 ? "登录已失效，请重新登录后自动发送" : "发送被拒绝（" + error.refused + "），稍后重试");
          });
        }
        scheduleRetry();
      });
  }

  function enqueue(text) {
    var code = codeFrom(text);
    if (!code) return;
    var scan = { id: newID(), code: code, session: session, scannedAt: new Date().toISOString() };
    scan.shown = display(code);
    queue.push(scan);
    save();
    show(scan, "pending", "待发送");
    flush();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    enqueue(input.value);
    input.value = "";
    input.focus();
  });

  window.addEventListener("online", function () {
    retryDelay = 1000;
    if (retryTimer) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    flush();
  });

  // Scans queued before a reload are listed again and sent.
  queue.forEach(function (scan) { show(scan, "pending", "待发送"); });
  save();
  flush();

  // The live count: other phones check people in too.
  window.setInterval(function () {
    if (navigator.onLine === false || document.hidden) return;
    fetch(countURL, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) setCount(answer.count); })
      .catch(function () {});
  }, 5000);

  // Camera scanning where the browser can decode QR codes itself.
  var cameraButton = document.getElementById("camera-button");
  var camera = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var stopButton = document.getElementById("camera-stop");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  cameraButton.hidden = false;
  var stream = null;
  var lastValue = "";
  var lastAt = 0;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    camera.hidden = true;
  }

  cameraButton.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        camera.hidden = false;
        return video.play();
      })
      .then(function tick() {
        if (!stream) return;
        detector
          .detect(video)
          .then(function (codes) {
            var now = Date.now();
            if (codes.length > 0) {
              var value = codes[0].rawValue;
              // The same code held before the camera is read once every 3 s.
              if (value !== lastValue || now - lastAt > 3000) enqueue(value);
              lastValue = value;
              lastAt = now;
            }
          })
          .catch(function () {})
          .then(function () { if (stream) window.setTimeout(tick, 250); });
      })
      .catch(function () {
        stop();
        cameraButton.hidden = true;
      });
  });
  stopButton.addEventListener("click", stop);
})();
