// Public entry of @skiff/dns.
export {};
