// Security keys (WebAuthn): the browser half of accounts/views_webauthn.py.
// A button with data-webauthn="register" or "login", data-begin and data-finish URLs,
// inside a form carrying the CSRF token (and, for registration, a "name" field).
(function () {
  "use strict";
  function toBytes(b64url) {
    var s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }
  function toB64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
                "Content-Type": "application/json"},
      body: body ? JSON.stringify(body) : "{}"
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data.error || r.statusText); }
        return data;
      });
    });
  }
  function credentialJSON(cred) {
    var r = cred.response, out = {id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: {clientDataJSON: toB64url(r.clientDataJSON)}};
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      out.response.userHandle = r.userHandle ? toB64url(r.userHandle) : null;
    }
    return out;
  }
  function run(button) {
    var form = button.form, status = document.getElementById(button.dataset.status);
    var register = button.dataset.webauthn === "register";
    if (!window.PublicKeyCredential) { status.textContent = button.dataset.unsupported; return; }
    status.textContent = "";
    post(button.dataset.begin, form).then(function (o) {
      o.challenge = toBytes(o.challenge);
      if (register) {
        o.user.id = toBytes(o.user.id);
        (o.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
        return navigator.credentials.create({publicKey: o});
      }
      (o.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.get({publicKey: o});
    }).then(function (cred) {
      var name = form.querySelector("[name=name]");
      return post(button.dataset.finish, form,
                  {credential: credentialJSON(cred), name: name ? name.value : ""});
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (err) { status.textContent = err.message || String(err); });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-webauthn]");
    if (button) { e.preventDefault(); run(button); }
  });
})();
