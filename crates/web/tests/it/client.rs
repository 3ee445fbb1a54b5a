//! A browser in miniature for the routes: keeps cookies, reads the
//! anti-forgery token from the last page, and sends forms.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use draaiboek_store::{Accounts, Db, Incidents, Role, SqliteStore, Store};
use draaiboek_web::{App, Config, hash_password, router};
use tower::ServiceExt;

pub struct Resp {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: String,
    pub body: String,
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

impl Resp {
    pub fn csrf(&self) -> String {
        value_after(&self.body, "name=\"_csrf\" value=\"").unwrap_or_else(|| panic!("no _csrf in {}", self.body))
    }

    pub fn version(&self) -> String {
        value_after(&self.body, "name=\"_version\" value=\"").expect("a _version field")
    }
}

fn value_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)? + marker.len();
    Some(html[at..].split('"').next()?.to_owned())
}

#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
}

impl Client {
    pub fn new(router: Router) -> Client {
        Client { router, cookies: BTreeMap::new(), csrf: String::new() }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Resp {
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req.headers_mut().insert(header::COOKIE, c.join("; ").parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        for c in res.headers().get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let status = res.status();
        let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
        let content_type =
            res.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(t) = value_after(&body, "name=\"_csrf\" value=\"") {
            self.csrf = t;
        }
        Resp { status, location, content_type, body, bytes, headers }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// A form as it is sent, without adding anything.
    pub async fn post_raw(&mut self, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// A form with the anti-forgery token of the last page shown.
    pub async fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let csrf = self.csrf.clone();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_raw(path, &all).await
    }

    /// A file upload, the token in the URL as the import form sends it.
    pub async fn upload(&mut self, path: &str, name: &str, bytes: &[u8], with_token: bool) -> Resp {
        let boundary = "----draaiboek-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/yaml\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let url = if with_token { format!("{path}?_csrf={}", self.csrf) } else { path.to_owned() };
        let req = Request::post(url)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password), ("next", "/")]).await
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// An installation with two organisations (acme: the Northfield example;
/// other: the Dutch example) and a user per role.
pub struct World {
    pub db: Arc<SqliteStore>,
    pub router: Router,
    pub app: App,
}

impl World {
    pub async fn new() -> World {
        World::with_mail(None).await
    }

    pub async fn with_mail(mail: Option<draaiboek_web::MailConfig>) -> World {
        let db = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
        let dynamic: Arc<dyn Db> = db.clone();
        let app = App::new(
            dynamic,
            Config {
                secure_cookies: false,
                public_url: "http://127.0.0.1:8080".into(),
                renderer: draaiboek_web::Renderer::InProcess,
                mail,
            },
        );
        let hash = hash_password(PASSWORD);
        db.create_user("admin@example.nl", "Ann Admin", &hash, true).await.unwrap();
        for (slug, file) in [("acme", "northfield-logistics.yaml"), ("other", "accountantskantoor.yaml")] {
            let org = db.create_org(slug, slug).await.unwrap();
            let plan = draaiboek_plan::from_str(&example(file), file).unwrap();
            let rows: Vec<(String, String, String)> =
                draaiboek_plan::split(&plan).into_iter().map(|r| (r.kind.to_owned(), r.id, r.body)).collect();
            db.replace_all(org.id, &rows, "import").await.unwrap();
            for role in [Role::Owner, Role::Editor, Role::Viewer] {
                let email = format!("{}@{slug}.nl", role.as_str());
                let u = db.create_user(&email, role.as_str(), &hash, false).await.unwrap();
                db.set_role(u.id, org.id, Some(role)).await.unwrap();
            }
        }
        // An incident in each organisation, so that its addresses exist.
        for slug in ["acme", "other"] {
            let org = db.org(slug).await.unwrap();
            let new = draaiboek_store::NewIncident {
                exercise: false,
                title: "Test".into(),
                scenario: None,
                hits: "{}".into(),
                exercise_id: None,
                by: "test".into(),
                items: vec![draaiboek_store::NewItem {
                    kind: "task".into(),
                    title: "Call the insurer".into(),
                    owner: None,
                    call: String::new(),
                    procedure: String::new(),
                    planned_hours: None,
                }],
            };
            db.create_incident(org.id, &new).await.unwrap();
        }
        World { db, router: router(app.clone()), app }
    }

    pub async fn client(&self, email: &str) -> Client {
        let mut c = Client::new(self.router.clone());
        let r = c.sign_in(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{email} signs in: {}", r.body);
        c.get("/").await;
        c
    }

    pub async fn revision(&self, slug: &str) -> i64 {
        let org = self.db.org(slug).await.unwrap();
        self.db.revision(org.id).await.unwrap()
    }
}
