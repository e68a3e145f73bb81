/**
 * A stand-in for Shopify's App Bridge script (cdn.shopify.com/shopifycloud/app-bridge.js), served
 * only under the development switch (simulator-switch.server.ts). It does what the admin pages
 * need from App Bridge: `window.shopify.idToken()` with a fresh session token, asked of the
 * simulator's admin page around the frame by postMessage; `Authorization: Bearer <token>` on the
 * page's own fetches (Remix navigations, fetchers and forms), with one retry when the app asks
 * for it; the session-token bounce page (`?shopify-reload=`); and the navigation menu as plain links.
 */
export const APP_BRIDGE_STAND_IN_SOURCE = String.raw`(function () {
  "use strict";
  var script = document.currentScript;
  var params = new URLSearchParams(location.search);
  var pending = new Map();
  var nextRequest = 1;
  window.addEventListener("message", function (event) {
    var message = event.data;
    if (event.source !== window.parent || !message || message.type !== "loyalty-simulator:id-token") return;
    var waiting = pending.get(message.requestId);
    if (!waiting) return;
    pending.delete(message.requestId);
    if (message.token) waiting.resolve(message.token);
    else waiting.reject(new Error(message.error || "the simulator gave no session token"));
  });
  function idToken() {
    if (window.parent === window) return Promise.reject(new Error("App Bridge stand-in: open the app from the simulator's admin page"));
    return new Promise(function (resolve, reject) {
      var requestId = nextRequest++;
      pending.set(requestId, { resolve: resolve, reject: reject });
      window.parent.postMessage({ type: "loyalty-simulator:id-token", requestId: requestId }, "*");
      setTimeout(function () {
        if (pending.delete(requestId)) reject(new Error("App Bridge stand-in: no session token from the admin page within 5 s"));
      }, 5000);
    });
  }
  var appFetch = window.fetch.bind(window);
  function sameOrigin(input) {
    var url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    return new URL(url, location.href).origin === location.origin;
  }
  async function authorisedFetch(input, init) {
    var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    headers.set("Authorization", "Bearer " + (await idToken()));
    return appFetch(input, Object.assign({}, init, { headers: headers }));
  }
  window.fetch = async function (input, init) {
    if (!sameOrigin(input)) return appFetch(input, init);
    var retryInput = input instanceof Request ? input.clone() : input;
    var response = await authorisedFetch(input, init);
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      response = await authorisedFetch(retryInput, init);
    }
    return response;
  };
  window.shopify = {
    config: {
      apiKey: script && script.dataset.apiKey,
      shop: params.get("shop") || undefined,
      host: params.get("host") || undefined,
      locale: "en",
    },
    environment: { embedded: window.parent !== window, mobile: false, pos: false },
    idToken: idToken,
    loading: function () {},
    toast: {
      show: function (message) {
        var toast = document.createElement("div");
        toast.setAttribute("role", "status");
        toast.textContent = message;
        toast.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);background:#303030;color:#fff;padding:8px 16px;border-radius:8px;z-index:1000";
        document.body.appendChild(toast);
        setTimeout(function () { toast.remove(); }, 4000);
      },
    },
  };
  // Shopify's admin draws <ui-nav-menu> in its sidebar; here it is a plain row of links above the page.
  var navStyle = document.createElement("style");
  navStyle.textContent = "ui-nav-menu{display:flex;gap:16px;padding:8px 16px;background:#fff;border-bottom:1px solid #e3e3e3;font:14px system-ui,sans-serif}ui-nav-menu a[rel=home]{font-weight:600}";
  document.head.appendChild(navStyle);
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) throw new Error("App Bridge stand-in: refusing to reload another origin");
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
})();
`;
