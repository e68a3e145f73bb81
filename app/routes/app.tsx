import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { authenticate } from "../shopify.server";
import { appBridgeScriptUrl } from "../shopify/simulator-switch.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // The App Bridge stand-in under the development switch; Shopify's CDN otherwise.
  return { apiKey: process.env.SHOPIFY_API_KEY || "", appBridgeUrl: appBridgeScriptUrl() };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/ways-to-earn">Ways to earn</Link>
        <Link to="/app/tiers">VIP tiers</Link>
        <Link to="/app/rewards">Rewards</Link>
        <Link to="/app/referrals">Referrals</Link>
        <Link to="/app/expiry">Points expiry</Link>
        <Link to="/app/messages">Messages</Link>
        <Link to="/app/settings">Program settings</Link>
        <Link to="/app/data-requests">Data requests</Link>
        <Link to="/app/dead-letters">Events not applied</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so its headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
