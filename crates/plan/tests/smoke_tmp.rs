#[test]
fn reads_conformance() {
    for e in std::fs::read_dir("../analysis/tests/conformance/random")
        .unwrap()
        .chain(std::fs::read_dir("../analysis/tests/conformance").unwrap())
    {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let s = std::fs::read_to_string(&p).unwrap();
            match draaiboek_plan::from_str(&s, &p.display().to_string()) {
                Ok(plan) => {
                    let out = draaiboek_plan::to_yaml(&plan);
                    let back =
                        draaiboek_plan::from_str(&out, "out").unwrap_or_else(|e| panic!("{}\n{}", e.report(), out));
                    assert_eq!(plan, back);
                }
                Err(e) => panic!("{}", e.report()),
            }
        }
    }
}
