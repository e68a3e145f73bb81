// The storefront widget's script, readable. `npm run build:theme` bundles it, with the reward rules
// it shares with the checkout and customer account extensions, into one minified script,
// extensions/loyalty-theme/assets/loyalty.js, which is what Shopify serves (the extension folder
// holds only what a theme app extension may contain).
/* Loyalty widget: opens the panel and runs actions. Everything shown at first paint is Liquid. */
import {
  amountProblem,
  amountRange,
  amountText,
  issuedRedemption,
  moneyFormat,
  nextReward,
  offered,
  parseAmount,
  pointsForAmount,
  pointsNeeded,
  redemptionBody,
  withBalance,
} from '../extensions/shared/rewards.js';

// The storefront offers store credit too: it is added to the customer's account, not given as a code.
var OFFERS = { storeCredit: true };

(() => {
  var PROXY = '/apps/loyalty';
  var widgets = [];
  var rewards = null;
  var currency = { code: 'USD', decimals: 2 };
  var fieldCount = 0;
  var request = null;
  var activity = null;
  var birthday;
  // Idempotency keys by reward id, shared by the launcher and the section: kept while an answer is
  // missing or the redemption is still being confirmed, so a retry is that same redemption.
  var pending = {};

  var fill = (text, points, reward) => {
    return text.replace('%points%', String(points)).replace('%reward%', reward || '');
  };
  /* A string with its %name% placeholders filled in. */
  var fmt = (text, values) => {
    return text.replace(/%(\w+)%/g, (all, name) => (name in values ? String(values[name]) : all));
  };
  var lang = document.documentElement.lang || undefined;
  var money = (minor) => {
    try {
      var format = Object.assign({ style: 'currency' }, moneyFormat(currency.code, currency.decimals));
      return new Intl.NumberFormat(lang, format).format(minor / Math.pow(10, currency.decimals));
    } catch (error) {
      return amountText(minor, currency.decimals) + ' ' + currency.code;
    }
  };
  // Every browser a storefront supports has crypto.randomUUID on https pages.
  var newKey = () => crypto.randomUUID();
  var call = (path, init) => {
    init = init || {};
    init.credentials = 'same-origin';
    init.headers = Object.assign({ Accept: 'application/json' }, init.headers);
    return fetch(PROXY + path, init).then((response) => {
      return response
        .json()
        .catch(() => ({}))
        .then((body) => {
          return { status: response.status, body: body };
        });
    });
  };
  /* A JSON POST to the app proxy. */
  var post = (path, body) => call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  var setBalance = (points) => {
    widgets.forEach((widget) => {
      widget.render(points);
    });
  };

  /* The rewards list and live balance: one request for the page, made on the first panel open. */
  var loadRewards = () => {
    if (request) return;
    request = call('/customer')
      .then((answer) => {
        if (answer.status !== 200) throw new Error(answer.body.error);
        rewards = answer.body.rewards.filter((reward) => offered(reward, OFFERS));
        if (answer.body.currency) currency = { code: answer.body.currency, decimals: answer.body.currencyDecimals };
        activity = answer.body.activity || [];
        birthday = answer.body.birthday || null;
        setBalance(answer.body.points);
        // The referral section (loyalty-referral.js) fills from the same answer.
        dispatchEvent(new CustomEvent('loyalty:customer', { detail: answer.body }));
      })
      .catch(() => {
        request = null;
        widgets.forEach((widget) => {
          widget.failed();
        });
      });
  };

  /* The launcher's panel: a non-modal dialog; Escape or the close button closes it, focus returns. */
  function wirePanel(root, onOpen) {
    var launcher = root.querySelector('[data-loyalty-open]');
    if (!launcher) return false;
    var panel = document.getElementById(launcher.getAttribute('aria-controls'));
    var toggle = (open) => {
      panel.hidden = !open;
      launcher.setAttribute('aria-expanded', String(open));
      (open ? panel : launcher).focus();
      if (open) onOpen();
    };
    launcher.addEventListener('click', () => {
      toggle(panel.hidden);
    });
    root.querySelector('[data-loyalty-close]').addEventListener('click', () => {
      toggle(false);
    });
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !panel.hidden) {
        event.stopPropagation();
        toggle(false);
      }
    });
    return true;
  }

  function MemberWidget(root) {
    var strings = JSON.parse(root.querySelector('[data-loyalty-strings]').textContent);
    var $ = (selector) => root.querySelector(selector);
    var list = $('[data-loyalty-rewards]');
    var result = $('[data-loyalty-result]');
    var credited = $('[data-loyalty-credited]');
    var errorBox = $('[data-loyalty-error]');
    var progress = $('[data-loyalty-progress]');
    var activityBox = $('[data-loyalty-activity]');

    var showError = (code) => {
      if (!errorBox) return;
      errorBox.textContent = code ? strings.errors[code] || strings.errors.generic : '';
      errorBox.hidden = !code;
    };

    // Recent activity: date, what happened (the store's note when there is one), signed points.
    var renderActivity = () => {
      if (!activityBox || !activity) return;
      activityBox.textContent = '';
      if (!activity.length) {
        activityBox.textContent = strings.activityEmpty;
        return;
      }
      var ul = document.createElement('ul');
      ul.className = 'lyl-list';
      activity.forEach((entry) => {
        var li = ul.appendChild(document.createElement('li'));
        var when = new Date(entry.createdAt).toLocaleDateString(document.documentElement.lang || undefined);
        li.appendChild(document.createElement('bdi')).textContent = entry.note || strings.kinds[entry.kind] || entry.kind;
        li.appendChild(document.createTextNode(' \u00b7 ' + when + ' \u00b7 '));
        li.appendChild(document.createElement('bdi')).textContent = (entry.delta > 0 ? '+' : '') + entry.delta;
      });
      activityBox.appendChild(ul);
    };

    // Birthday: month names in the page's language; saved once, then shown instead of the form.
    var birthdayForm = $('[data-loyalty-birthday-form]');
    var birthdaySaved = $('[data-loyalty-birthday-saved]');
    var birthdayText = (value) => {
      var parts = value.split('-');
      var date = new Date(Date.UTC(2000, Number(parts[0]) - 1, Number(parts[1])));
      return strings.birthdaySaved.replace('%date%', date.toLocaleDateString(lang, { month: 'long', day: 'numeric', timeZone: 'UTC' }));
    };
    var renderBirthday = () => {
      if (!birthdayForm || birthday === undefined) return;
      birthdayForm.hidden = Boolean(birthday);
      birthdaySaved.hidden = !birthday;
      if (birthday) birthdaySaved.textContent = birthdayText(birthday);
    };
    if (birthdayForm) {
      Array.prototype.forEach.call(birthdayForm.month.options, (option) => {
        if (option.value) option.textContent = new Date(Date.UTC(2000, Number(option.value) - 1, 1)).toLocaleString(lang, { month: 'long', timeZone: 'UTC' });
      });
      birthdayForm.addEventListener('submit', (event) => {
        event.preventDefault();
        var errorLine = birthdayForm.querySelector('[data-loyalty-birthday-error]');
        errorLine.hidden = true;
        post('/birthday', { month: birthdayForm.month.value, day: birthdayForm.day.value })
          .then((answer) => {
            if (answer.status !== 200) throw answer.body.error;
            birthday = answer.body.birthday;
            widgets.forEach((widget) => {
              widget.birthdayChanged();
            });
            birthdaySaved.focus();
          })
          .catch((code) => {
            errorLine.textContent = strings.birthdayErrors[code] || strings.errors.generic;
            errorLine.hidden = false;
          });
      });
    }
    if (birthdaySaved) birthdaySaved.tabIndex = -1;
    this.birthdayChanged = renderBirthday;

    this.failed = () => {
      if (!list) return;
      list.setAttribute('aria-busy', 'false');
      list.textContent = strings.loadFailed;
    };

    this.render = (balance) => {
      Array.prototype.forEach.call(root.querySelectorAll('[data-loyalty-balance]'), (el) => {
        el.textContent = String(balance);
      });
      if (!rewards) return;
      renderActivity();
      renderBirthday();
      // The server's flags are for the balance it saw; a redemption since then changed it.
      var current = withBalance(rewards, balance);
      var next = nextReward(current, OFFERS);
      if (progress) {
        progress.hidden = !next;
        if (next) {
          var needed = pointsNeeded(next);
          var bar = progress.querySelector('progress');
          bar.max = needed;
          bar.value = balance;
          // The reward's name is isolated (<bdi>): an English name inside Hebrew text keeps its order.
          var parts = fill(strings.toGo, needed - balance, '\u0000').split('\u0000');
          var text = progress.querySelector('[data-loyalty-progress-text]');
          text.textContent = parts[0];
          text.appendChild(document.createElement('bdi')).textContent = next.name;
          text.appendChild(document.createTextNode(parts[1] || ''));
        }
      }
      if (!list) return;
      list.setAttribute('aria-busy', 'false');
      list.textContent = '';
      if (!current.length) {
        list.appendChild(document.createElement('p')).textContent = strings.empty;
        return;
      }
      var ul = list.appendChild(document.createElement('ul'));
      current.forEach((reward) => {
        var li = ul.appendChild(document.createElement('li'));
        var add = (parent, tag, className, text) => {
          var el = parent.appendChild(document.createElement(tag));
          el.className = className;
          if (text !== undefined) el.textContent = text;
          return el;
        };
        li.className = 'lyl-reward';
        li.setAttribute('data-reward', reward.id);
        add(li, 'span', 'lyl-reward__name', reward.name).dir = 'auto';
        if (!reward.affordable) {
          add(li, 'span', 'lyl-reward__cost', fill(strings.needsMore, pointsNeeded(reward) - balance));
          return;
        }
        var range = amountRange(reward);
        // A form, so Enter in the amount field redeems as the button does.
        var form = add(li, 'form', 'lyl-reward__form');
        form.noValidate = true;
        var cost = add(form, 'span', 'lyl-reward__cost', fill(strings.cost, pointsNeeded(reward)));
        var button = add(form, 'button', 'lyl-btn', strings.redeem);
        button.type = 'submit';
        var labelFor = (minor) => {
          button.setAttribute('aria-label', strings.redeem + ': ' + reward.name + (minor ? ' (' + money(minor) + ')' : ''));
        };
        labelFor(null);
        var amount = null;
        if (range) {
          var id = 'lyl-amount-' + ++fieldCount;
          li.className += ' lyl-reward--variable';
          var label = form.insertBefore(document.createElement('label'), cost);
          label.className = 'lyl-amount';
          label.textContent = strings.amountLabel + ' ';
          var input = add(label, 'input', 'lyl-amount__input');
          input.name = 'amount';
          input.id = id;
          input.inputMode = 'decimal';
          input.autocomplete = 'off';
          input.value = amountText(range.min, currency.decimals);
          var limits = { min: money(range.min), max: money(range.max), step: money(range.step), points: reward.pointsCost };
          var hint = add(form, 'p', 'lyl-muted lyl-amount__hint', fmt(strings.amountHint, limits));
          var problemLine = add(form, 'p', 'lyl-error', '');
          hint.id = id + '-hint';
          problemLine.id = id + '-error';
          problemLine.hidden = true;
          input.setAttribute('aria-describedby', hint.id + ' ' + problemLine.id);
          var check = () => {
            var minor = parseAmount(input.value, currency.decimals);
            var problem = amountProblem(reward, minor);
            problemLine.textContent = problem ? fmt(strings.amountErrors[problem], limits) : '';
            problemLine.hidden = !problem;
            input.setAttribute('aria-invalid', String(Boolean(problem)));
            cost.textContent = fill(strings.cost, problem ? pointsNeeded(reward) : pointsForAmount(reward, minor));
            amount = problem ? null : { minor: minor, decimals: currency.decimals };
            labelFor(amount && minor);
            return !problem;
          };
          input.addEventListener('input', check);
          check();
        }
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          if (range && !amount) return input.focus();
          redeem(button, reward, amount);
        });
      });
    };

    function redeem(button, reward, amount) {
      // The key stays until the app settles the redemption, so a retry after a network error, or
      // while Shopify's answer is being confirmed, is the same redemption (whatever amount is typed).
      var slot = reward.id;
      var key = (pending[slot] = pending[slot] || newKey());
      var shown = false;
      button.disabled = true;
      showError(null);
      if (credited) credited.hidden = true;
      post('/redemptions', redemptionBody(reward, key, amount))
        .then(
          (answer) => {
            var body = answer.body;
            var issued = issuedRedemption(body);
            shown = Boolean(issued);
            // An answer settles the key; only no answer, or one still being created, is retried as the same redemption.
            if (body.ok || (body.error && body.error !== 'redemption_pending')) delete pending[slot];
            if (issued && issued.code) showCode(issued.code);
            else if (issued && reward.kind === 'store_credit') showCredit(issued.valueMinor);
            else showError(body.error || 'generic');
            if (typeof body.balance === 'number') setBalance(body.balance);
          },
          () => {
            showError('generic');
          },
        )
        .then(() => {
          button.disabled = false;
          // A refusal with a new balance rebuilt the list: keep the shopper on this reward's button.
          var again = !shown && !button.isConnected && list && list.querySelector('[data-reward="' + reward.id + '"] .lyl-btn');
          if (again) again.focus();
        });
    }

    function showCredit(valueMinor) {
      if (!credited) return;
      result.hidden = true;
      credited.textContent = fmt(strings.credited, { amount: money(valueMinor) });
      credited.hidden = false;
      credited.focus();
    }

    function showCode(code) {
      var base = (root.getAttribute('data-root') || '/').replace(/\/?$/, '/');
      result.querySelector('[data-loyalty-code]').textContent = code;
      result.querySelector('[data-loyalty-apply]').href =
        base + 'discount/' + encodeURIComponent(code) + '?redirect=' + encodeURIComponent(location.pathname + location.search);
      var copy = result.querySelector('[data-loyalty-copy]');
      copy.onclick = () => {
        navigator.clipboard.writeText(code).then(() => {
          copy.textContent = strings.copied;
        });
      };
      if (credited) credited.hidden = true;
      result.hidden = false;
      result.focus();
    }

    // A social follow: the link opens the merchant's page in a new tab; the claim books the
    // points, which land after a short delay. Then the live balance is read until they show.
    var claimStatus = $('[data-loyalty-claim-status]');
    var awaitClaim = (id, wait, tries) => {
      setTimeout(() => {
        call('/customer').then((answer) => {
          var way = (answer.body.waysToEarn || []).find((candidate) => String(candidate.id) === id);
          if (way && way.done) {
            setBalance(answer.body.points);
            widgets.forEach((widget) => {
              widget.claimed(id);
            });
          } else if (tries) awaitClaim(id, 2000, tries - 1);
        });
      }, wait + 500);
    };
    this.claimed = (id) => {
      var link = root.querySelector('[data-loyalty-claim="' + id + '"]');
      if (link) {
        var done = document.createElement('span');
        done.className = 'lyl-done';
        done.textContent = '\u2713 ' + strings.done;
        link.replaceWith(done);
      }
      if (claimStatus) claimStatus.hidden = true;
    };
    Array.prototype.forEach.call(root.querySelectorAll('[data-loyalty-claim]'), (link) => {
      link.addEventListener('click', () => {
        var id = link.getAttribute('data-loyalty-claim');
        call('/ways-to-earn/' + id + '/claim', { method: 'POST' }).then((answer) => {
          var body = answer.body;
          claimStatus.textContent = body.ok ? strings.claimPending : strings.errors[body.error] || strings.errors.generic;
          claimStatus.hidden = false;
          // "done" has no availableAt: NaN waits nothing.
          if (body.ok) awaitClaim(id, Date.parse(body.availableAt) - Date.now(), 5);
        });
      });
    });

    if (!wirePanel(root, loadRewards) && list) {
      // The rewards section loads the list when it comes near the viewport, and never before
      // the page has painted: the balance is already in the HTML, the list can wait a frame.
      afterFirstPaint(() => {
        var observer = new IntersectionObserver(
          (entries) => {
            if (entries[0].isIntersecting) {
              observer.disconnect();
              loadRewards();
            }
          },
          { rootMargin: '200px' },
        );
        observer.observe(list);
      });
    }
  }

  function afterFirstPaint(fn) {
    var next = () => {
      requestAnimationFrame(() => {
        setTimeout(fn, 0);
      });
    };
    if (document.readyState === 'complete') next();
    else addEventListener('load', next, { once: true });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-loyalty]'), (root) => {
    if (root.getAttribute('data-member') === 'true') widgets.push(new MemberWidget(root));
    else wirePanel(root, () => {});
  });
})();
