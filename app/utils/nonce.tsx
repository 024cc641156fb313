import { createContext, useContext } from "react";

/** The per-request CSP nonce, set by entry.server.tsx; empty in the browser. */
export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
