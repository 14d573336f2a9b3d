// Haven browser script.
//
// Loaded once per page, at the end of <body>, as an ES module:
//   <script type="module" src="/assets/js/haven.js" nonce="..."></script>
//
// The site's Content-Security-Policy forbids inline script, so this file also
// does the job the GOV.UK page template normally does inline: it marks <body>
// as JavaScript-enabled before the component libraries are initialised.
//
// GOV.UK Frontend and MOJ Frontend are both shipped as self-contained ES
// modules (govuk-frontend.min.js and moj-frontend.min.js) sitting next to this
// file in /assets/js/. They are loaded with dynamic import() so that a failure
// in one of them cannot stop the idle-timeout warning from working.

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

function loadLibrary (file) {
  return import(new URL(file, import.meta.url).href).then(function (library) {
    library.initAll()
  }).catch(function (error) {
    console.error('Haven: could not initialise ' + file, error)
  })
}

// GOV.UK Frontend first: MOJ components build on its styles and behaviour.
loadLibrary('./govuk-frontend.min.js').then(function () {
  return loadLibrary('./moj-frontend.min.js')
})

// ---------------------------------------------------------------------------
// Idle-timeout warning
//
// Expected markup (the server renders it with the `hidden` attribute):
//
//   <div class="haven-timeout-dialog" data-module="haven-timeout-warning"
//        data-timeout-seconds="1200" data-warning-seconds="120"
//        data-keep-alive-url="/session/keep-alive"
//        data-timed-out-url="/signed-out?reason=timeout" hidden>
//     <h2 class="govuk-heading-m haven-timeout-dialog__heading">...</h2>
//     <p class="govuk-body" aria-hidden="true">
//       ... <span data-countdown>2 minutes</span> ...
//     </p>
//     <p class="govuk-visually-hidden" aria-live="polite" data-countdown-live></p>
//     <form method="post" action="/sign-out">
//       <input type="hidden" name="__RequestVerificationToken" value="...">
//       <div class="govuk-button-group">
//         <button type="button" class="govuk-button" data-action="keep-alive">
//           Stay signed in</button>
//         <button type="submit" class="govuk-button govuk-button--secondary">
//           Sign out</button>
//       </div>
//     </form>
//   </div>
// ---------------------------------------------------------------------------

const FOCUSABLE = [
  'a[href]',
  'area[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'iframe',
  '[contenteditable=""]',
  '[contenteditable="true"]',
  '[tabindex]:not([tabindex="-1"])'
].join(',')

// Seconds left at which the live region speaks, besides each whole minute.
const FINAL_ANNOUNCEMENT_SECONDS = 20

function readSeconds (element, name) {
  const value = Number(element.getAttribute(name))
  return Number.isFinite(value) && value > 0 ? value : null
}

function formatDuration (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return minutes + (minutes === 1 ? ' minute' : ' minutes')
  }
  return seconds + (seconds === 1 ? ' second' : ' seconds')
}

function normaliseText (text) {
  return text.replace(/\s+/g, ' ').trim()
}

function antiforgeryToken () {
  const meta = document.querySelector('meta[name="haven-antiforgery"]')
  return meta ? meta.getAttribute('content') || '' : ''
}

function TimeoutWarning (element) {
  this.element = element
  this.timeoutSeconds = readSeconds(element, 'data-timeout-seconds')
  this.warningSeconds = readSeconds(element, 'data-warning-seconds')
  this.keepAliveUrl = element.getAttribute('data-keep-alive-url')
  this.timedOutUrl = element.getAttribute('data-timed-out-url')
  this.heading = element.querySelector('h1, h2, h3, h4, h5, h6')
  this.countdown = element.querySelector('[data-countdown]')
  this.live = element.querySelector('[data-countdown-live]')
  this.keepAliveButton = element.querySelector('[data-action="keep-alive"]')

  this.startedAt = 0
  this.warningTimer = null
  this.countdownTimer = null
  this.announceTimer = null
  this.lastAnnouncement = null
  this.previousFocus = null
  this.inertElements = []
  this.isOpen = false
  this.isBusy = false
  this.hasTimedOut = false

  this.onKeyDown = this.onKeyDown.bind(this)
  this.onFocusIn = this.onFocusIn.bind(this)
  this.onVisibilityChange = this.onVisibilityChange.bind(this)
}

TimeoutWarning.prototype.init = function () {
  if (!this.timeoutSeconds || !this.warningSeconds || !this.timedOutUrl || !this.keepAliveUrl) {
    return
  }
  // A warning longer than the whole session just means "warn straight away".
  this.warningSeconds = Math.min(this.warningSeconds, this.timeoutSeconds)

  if (this.heading) {
    this.heading.setAttribute('tabindex', '-1')
    if (!this.heading.id) {
      this.heading.id = 'haven-timeout-dialog-heading'
    }
  }
  if (this.keepAliveButton) {
    this.keepAliveButton.addEventListener('click', (event) => {
      event.preventDefault()
      this.keepAlive()
    })
  }

  // Timers are throttled in background tabs and paused while a laptop
  // sleeps, so re-check against the clock whenever the page is shown again.
  document.addEventListener('visibilitychange', this.onVisibilityChange)
  window.addEventListener('pageshow', this.onVisibilityChange)

  this.start()
}

TimeoutWarning.prototype.secondsLeft = function () {
  const elapsed = (Date.now() - this.startedAt) / 1000
  return Math.max(0, Math.ceil(this.timeoutSeconds - elapsed))
}

TimeoutWarning.prototype.start = function () {
  this.clearTimers()
  this.startedAt = Date.now()
  this.scheduleWarning()
}

TimeoutWarning.prototype.scheduleWarning = function () {
  const untilWarning = (this.timeoutSeconds - this.warningSeconds) * 1000 - (Date.now() - this.startedAt)
  this.warningTimer = window.setTimeout(() => this.open(), Math.max(0, untilWarning))
}

TimeoutWarning.prototype.clearTimers = function () {
  window.clearTimeout(this.warningTimer)
  window.clearInterval(this.countdownTimer)
  window.clearTimeout(this.announceTimer)
  this.warningTimer = this.countdownTimer = this.announceTimer = null
}

TimeoutWarning.prototype.onVisibilityChange = function () {
  if (document.visibilityState === 'hidden' || this.hasTimedOut) {
    return
  }
  if (this.secondsLeft() <= 0) {
    this.timeOut()
  } else if (!this.isOpen && this.secondsLeft() <= this.warningSeconds) {
    this.clearTimers()
    this.open()
  }
}

TimeoutWarning.prototype.open = function () {
  if (this.isOpen || this.hasTimedOut) {
    return
  }
  if (this.secondsLeft() <= 0) {
    this.timeOut()
    return
  }
  this.isOpen = true
  this.previousFocus = document.activeElement

  const element = this.element
  element.removeAttribute('hidden')
  element.setAttribute('role', 'dialog')
  element.setAttribute('aria-modal', 'true')
  if (this.heading) {
    element.setAttribute('aria-labelledby', this.heading.id)
  }
  document.body.classList.add('haven-timeout-dialog-open')
  this.makeBackgroundInert()

  document.addEventListener('keydown', this.onKeyDown, true)
  document.addEventListener('focusin', this.onFocusIn)

  this.focusStart()

  // Clear the live region now and give it its first message a moment after
  // the dialog becomes visible; screen readers tend to ignore changes made
  // in the same instant a live region appears.
  this.lastAnnouncement = null
  if (this.live) {
    this.live.textContent = ''
  }
  this.updateCountdown(false)
  this.announceTimer = window.setTimeout(() => this.announce(this.secondsLeft()), 500)
  this.countdownTimer = window.setInterval(() => this.updateCountdown(true), 1000)
}

TimeoutWarning.prototype.close = function () {
  if (!this.isOpen) {
    return
  }
  this.isOpen = false
  this.clearTimers()

  const element = this.element
  element.setAttribute('hidden', '')
  element.removeAttribute('role')
  element.removeAttribute('aria-modal')
  element.removeAttribute('aria-labelledby')
  document.body.classList.remove('haven-timeout-dialog-open')
  this.restoreBackground()

  document.removeEventListener('keydown', this.onKeyDown, true)
  document.removeEventListener('focusin', this.onFocusIn)

  if (this.live) {
    this.live.textContent = ''
  }

  const previous = this.previousFocus
  this.previousFocus = null
  if (previous && previous !== document.body && document.contains(previous) && typeof previous.focus === 'function') {
    previous.focus()
  } else if (document.activeElement && element.contains(document.activeElement)) {
    document.activeElement.blur()
  }
}

// Everything outside the dialog is made inert while it is open (aria-modal
// alone is not honoured by every screen reader). Works wherever the dialog
// sits in the page by walking up to <body> and inerting the siblings at
// each level; elements that were already inert are left alone.
TimeoutWarning.prototype.makeBackgroundInert = function () {
  this.inertElements = []
  let node = this.element
  while (node && node !== document.body && node.parentElement) {
    const siblings = node.parentElement.children
    for (let i = 0; i < siblings.length; i++) {
      const sibling = siblings[i]
      if (sibling !== node && !sibling.hasAttribute('inert') && sibling.tagName !== 'SCRIPT') {
        sibling.setAttribute('inert', '')
        this.inertElements.push(sibling)
      }
    }
    node = node.parentElement
  }
}

TimeoutWarning.prototype.restoreBackground = function () {
  this.inertElements.forEach(function (sibling) {
    sibling.removeAttribute('inert')
  })
  this.inertElements = []
}

TimeoutWarning.prototype.focusableElements = function () {
  const candidates = this.element.querySelectorAll(FOCUSABLE)
  return Array.prototype.filter.call(candidates, function (candidate) {
    return candidate.getClientRects().length > 0 && !candidate.closest('[hidden], [inert]')
  })
}

TimeoutWarning.prototype.focusStart = function () {
  const target = this.heading || this.focusableElements()[0]
  if (target) {
    target.focus()
  }
}

TimeoutWarning.prototype.onFocusIn = function (event) {
  if (this.isOpen && !this.element.contains(event.target)) {
    this.focusStart()
  }
}

TimeoutWarning.prototype.onKeyDown = function (event) {
  if (!this.isOpen) {
    return
  }
  if (event.key === 'Escape' || event.key === 'Esc') {
    event.preventDefault()
    event.stopPropagation()
    this.keepAlive()
    return
  }
  if (event.key !== 'Tab') {
    return
  }

  const focusable = this.focusableElements()
  if (focusable.length === 0) {
    event.preventDefault()
    this.focusStart()
    return
  }
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  const active = document.activeElement
  const insideList = focusable.indexOf(active) !== -1

  if (event.shiftKey && (active === first || !insideList)) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && (active === last || !insideList)) {
    event.preventDefault()
    first.focus()
  }
}

TimeoutWarning.prototype.updateCountdown = function (announce) {
  const seconds = this.secondsLeft()
  if (seconds <= 0) {
    this.timeOut()
    return
  }
  if (this.countdown) {
    const text = formatDuration(seconds)
    if (this.countdown.textContent !== text) {
      this.countdown.textContent = text
    }
  }
  if (announce) {
    this.announce(seconds)
  }
}

// Only speak at each whole minute and once when FINAL_ANNOUNCEMENT_SECONDS
// are left, so screen reader users aren't read a number every second.
// Keyed on the state rather than the exact second, because a throttled timer
// can skip the precise tick.
TimeoutWarning.prototype.announce = function (seconds) {
  if (!this.live || !this.isOpen || seconds <= 0) {
    return
  }
  let key
  if (seconds >= 60) {
    key = 'minutes:' + Math.ceil(seconds / 60)
  } else if (seconds <= FINAL_ANNOUNCEMENT_SECONDS) {
    key = 'final'
  } else {
    key = this.lastAnnouncement === null ? 'seconds' : this.lastAnnouncement
  }
  if (key === this.lastAnnouncement) {
    return
  }
  this.lastAnnouncement = key

  // Speak the visible sentence (wording stays in the Razor view); fall back
  // to the bare duration if the countdown isn't inside a sentence.
  const sentence = this.countdown && this.countdown.parentElement
    ? normaliseText(this.countdown.parentElement.textContent)
    : formatDuration(seconds)
  this.live.textContent = sentence
}

TimeoutWarning.prototype.keepAlive = function () {
  if (this.isBusy || this.hasTimedOut) {
    return
  }
  this.isBusy = true
  if (this.keepAliveButton) {
    this.keepAliveButton.setAttribute('aria-disabled', 'true')
  }

  const done = () => {
    this.isBusy = false
    if (this.keepAliveButton) {
      this.keepAliveButton.removeAttribute('aria-disabled')
    }
  }

  window.fetch(this.keepAliveUrl, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    // A redirect here almost always means "go and sign in": treat it like 401
    // rather than silently following it to a login page.
    redirect: 'manual',
    headers: {
      RequestVerificationToken: antiforgeryToken(),
      'X-Requested-With': 'XMLHttpRequest'
    }
  }).then((response) => {
    // Read (and discard) any body so the request completes cleanly.
    return response.text().catch(function () { return '' }).then(function () {
      return response
    })
  }).then((response) => {
    done()
    if (response.status === 401 || response.type === 'opaqueredirect') {
      this.timeOut()
    } else if (response.ok) {
      this.close()
      this.start()
    } else {
      // Leave the dialog open; the user can try again, and the countdown
      // still ends at the timed-out page if nothing succeeds.
      console.error('Haven: keep-alive failed with HTTP ' + response.status)
    }
  }).catch((error) => {
    done()
    console.error('Haven: keep-alive request failed', error)
  })
}

TimeoutWarning.prototype.timeOut = function () {
  if (this.hasTimedOut) {
    return
  }
  this.hasTimedOut = true
  this.clearTimers()
  window.location.href = this.timedOutUrl
}

document.querySelectorAll('[data-module="haven-timeout-warning"]').forEach(function (element) {
  if (element.hasAttribute('data-haven-initialised')) {
    return
  }
  element.setAttribute('data-haven-initialised', '')
  new TimeoutWarning(element).init()
})

// ---------------------------------------------------------------------------
// Cookie banner confirmation
//
// After the visitor accepts or rejects analytics cookies, the server shows the
// GOV.UK cookie banner's confirmation message with a "Hide cookie message"
// link back to the same page, which works without JavaScript. Here the link
// hides the message where it is instead of reloading the page.
// ---------------------------------------------------------------------------

document.querySelectorAll('[data-module="haven-cookie-banner"]').forEach(function (banner) {
  const hide = banner.querySelector('[data-action="hide-cookie-message"]')
  if (!hide || banner.hasAttribute('data-haven-initialised')) {
    return
  }
  banner.setAttribute('data-haven-initialised', '')
  hide.addEventListener('click', function (event) {
    event.preventDefault()
    banner.setAttribute('hidden', '')
  })
})
