// A class's seat kept across reloads: writes (or clears) one cookie that the server reads when the page opens
// again. Path=/ and SameSite=Strict: sent to this app only, never to another site's page; Secure under HTTPS.

export default function (component) {
  const { data } = component;
  if (!data || typeof data.name !== "string" || !/^[a-z_]+$/.test(data.name)) return;
  const value = typeof data.value === "string" ? data.value : "";
  const seconds = value ? Math.max(0, Math.floor(Number(data.seconds) || 0)) : 0;
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${data.name}=${encodeURIComponent(value)}; Max-Age=${seconds}; Path=/; SameSite=Strict${secure}`;
}
