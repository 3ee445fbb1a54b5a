//! The web application through its routes, as a browser uses it.

mod a11y;
mod client;
mod flows;
mod incidents;
mod mail;
mod routes;
mod upkeep;
