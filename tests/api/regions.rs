//! The demo county's places.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_county_lists_townships_with_their_villages() {
    let app = spawn_app().await;
    let regions = app.regions().await;
    assert!(!regions.county.is_empty());
    assert!(regions.townships.len() >= 3);
    let villages: usize = regions.townships.iter().map(|t| t.villages.len()).sum();
    assert!(villages >= 12, "{villages} villages");
    assert!(regions.townships.iter().all(|t| !t.villages.is_empty()));
    assert_eq!(
        app.count("SELECT count(*) FROM departments WHERE name IN ('司法所', '派出所', '信访办', '人民调解委员会')"),
        4
    );
    assert!(app.count("SELECT count(*) FROM grids") >= 30);
}
