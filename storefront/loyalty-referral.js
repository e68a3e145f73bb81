// The storefront's referral script, readable (`npm run build:theme` minifies it into
// extensions/loyalty-theme/assets/loyalty-referral.js). On every page: a `?ref=<code>` link (or the
// friend's landing before it) is remembered in localStorage and a cookie `loyalty_referral`, and put
// on the cart as the attribute `loyalty_referral` so the order carries it. For a member, the
// "Refer a friend" section is filled from the `referral` of the widget's GET /apps/loyalty/customer.
(() => {
  // The launcher and the section each load this script: it runs once.
  if (window.loyaltyReferral) return;
  window.loyaltyReferral = true;
  var KEY = 'loyalty_referral';
  var DAY = 864e5;
  var CODE = /^[A-Za-z0-9_-]{1,64}$/;
  var host = document.querySelector('[data-loyalty]');
  var root = (host && host.getAttribute('data-root')) || '/';
  if (root.slice(-1) !== '/') root += '/';

  var remembered = () => {
    try {
      var kept = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (kept && kept.until > Date.now() && CODE.test(kept.code)) return kept.code;
    } catch (error) {
      /* storage may be off: the cookie still says */
    }
    var cookie = /(?:^|;\s*)loyalty_referral=([^;]+)/.exec(document.cookie);
    return cookie ? decodeURIComponent(cookie[1]) : null;
  };
  var remember = (code, days) => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ code: code, until: Date.now() + days * DAY }));
    } catch (error) {
      /* the cookie is enough */
    }
    document.cookie = KEY + '=' + encodeURIComponent(code) + '; Path=/; Max-Age=' + days * 86400 + '; SameSite=Lax';
  };

  var ref = new URLSearchParams(location.search).get('ref');
  if (ref && CODE.test(ref)) remember(ref, 30);
  var code = remembered();
  // Once per browser session and code: the cart keeps its attributes.
  if (code && CODE.test(code) && sessionStorage.getItem(KEY) !== code) {
    fetch(root + 'cart/update.js', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ attributes: { loyalty_referral: code } }),
    }).then(
      (response) => {
        if (response.ok) sessionStorage.setItem(KEY, code);
      },
      () => {},
    );
  }

  var sections = [].slice.call(document.querySelectorAll('[data-loyalty-referral]'));
  if (!sections.length) return;
  var strings = JSON.parse(sections[0].querySelector('[data-loyalty-referral-strings]').textContent);
  var lang = document.documentElement.lang || undefined;
  var plural = (forms, count) => {
    var form = forms[new Intl.PluralRules(lang).select(count)] || forms.other;
    return form.replace('%count%', new Intl.NumberFormat(lang).format(count));
  };
  var share = (kind, url) => {
    var text = strings.shareText + ' ' + url;
    if (kind === 'email') return 'mailto:?subject=' + encodeURIComponent(strings.shareSubject) + '&body=' + encodeURIComponent(text);
    if (kind === 'whatsapp') return 'https://wa.me/?text=' + encodeURIComponent(text);
    if (kind === 'x') return 'https://twitter.com/intent/tweet?text=' + encodeURIComponent(strings.shareText) + '&url=' + encodeURIComponent(url);
    return 'https://www.facebook.com/sharer/sharer.php?u=' + encodeURIComponent(url);
  };
  var fill = (section, referral) => {
    section.querySelector('[data-loyalty-referral-link]').value = referral.url;
    section.querySelectorAll('[data-share]').forEach((link) => {
      link.href = share(link.getAttribute('data-share'), referral.url);
    });
    section.querySelector('[data-loyalty-referral-friends]').textContent = plural(strings.friends, referral.friendsReferred);
    section.querySelector('[data-loyalty-referral-points]').textContent = plural(strings.points, referral.rewardsEarned);
    section.querySelector('[data-loyalty-referral-counts]').hidden = false;
    var list = section.querySelector('[data-loyalty-referral-pending]');
    list.textContent = '';
    referral.pending.forEach((friend) => {
      var item = document.createElement('li');
      // An order that came by the link alone has no name or email: "a friend".
      item.textContent = (friend.friend || strings.aFriend) + ' · ' + (strings.statuses[friend.status] || friend.status);
      list.appendChild(item);
    });
    section.hidden = false;
  };
  // No request of its own: the widget's one read of the page (on the panel's first open, or when
  // the section comes into view) carries the referral.
  addEventListener('loyalty:customer', (event) => {
    if (event.detail && event.detail.referral) sections.forEach((section) => fill(section, event.detail.referral));
  });
  sections.forEach((section) => {
    section.querySelector('[data-loyalty-referral-copy]').addEventListener('click', () => {
      var input = section.querySelector('[data-loyalty-referral-link]');
      var status = section.querySelector('[data-loyalty-referral-copied]');
      var done = () => {
        status.textContent = strings.copied;
        status.hidden = false;
      };
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, () => {});
      else {
        input.select();
        document.execCommand('copy');
        done();
      }
    });
  });
})();
