//! The browser side of CORS (SPEC §6): what a browser decides before and
//! after talking to the server, following the Fetch standard.
