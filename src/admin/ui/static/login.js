// Login page: posts the credentials as JSON (a cross-site form cannot), then opens the admin UI.
'use strict';
document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('login-error');
  err.hidden = true;
  const button = document.getElementById('login-button');
  button.disabled = true;
  try {
    const res = await fetch('/admin/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ username: document.getElementById('username').value, password: document.getElementById('password').value }),
    });
    if (res.ok) {
      location.assign('/admin/');
      return;
    }
    const body = await res.json().catch(() => ({}));
    err.textContent = body.message || `login failed (${res.status})`;
    err.hidden = false;
  } catch (e) {
    err.textContent = `login failed: ${e.message}`;
    err.hidden = false;
  } finally {
    button.disabled = false;
  }
});
