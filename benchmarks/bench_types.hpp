// C++ types for the benchmark files, for typed loads<T>/dumps: what a program that reads these
// documents would declare. Plain aggregates, no annotations: pyjson reads the field names.
// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <vector>

namespace bench {

// A struct without fields: reading a document into it checks the text and keeps nothing.
struct nothing {};

// canada.json: one GeoJSON feature collection, 111,080 doubles in [x, y] pairs.
struct canada_geometry {
  std::string type;
  std::vector<std::vector<std::array<double, 2>>> coordinates;
};
struct canada_feature {
  std::string type;
  std::map<std::string, std::string> properties;
  canada_geometry geometry;
};
struct canada {
  std::string type;
  std::vector<canada_feature> features;
};

// twitter.json: search results. Fields a client would use; the rest of each object is skipped.
struct twitter_hashtag {
  std::string text;
  std::array<int, 2> indices;
};
struct twitter_url {
  std::string url;
  std::string expanded_url;
  std::string display_url;
  std::array<int, 2> indices;
};
struct twitter_mention {
  std::string screen_name;
  std::string name;
  std::int64_t id;
  std::string id_str;
  std::array<int, 2> indices;
};
struct twitter_entities {
  std::vector<twitter_hashtag> hashtags;
  std::vector<pyjson::value> symbols;
  std::vector<twitter_url> urls;
  std::vector<twitter_mention> user_mentions;
};
struct twitter_user {
  std::int64_t id;
  std::string id_str;
  std::string name;
  std::string screen_name;
  std::string location;
  std::string description;
  std::optional<std::string> url;
  bool verified;
  int followers_count;
  int friends_count;
  int listed_count;
  std::string created_at;
  int favourites_count;
  std::optional<int> utc_offset;
  std::optional<std::string> time_zone;
  int statuses_count;
  std::string lang;
  std::string profile_image_url_https;
};
struct twitter_metadata {
  std::string result_type;
  std::string iso_language_code;
};
struct twitter_status {
  twitter_metadata metadata;
  std::string created_at;
  std::int64_t id;
  std::string id_str;
  std::string text;
  std::string source;
  bool truncated;
  std::optional<std::int64_t> in_reply_to_status_id;
  std::optional<std::string> in_reply_to_status_id_str;
  std::optional<std::int64_t> in_reply_to_user_id;
  std::optional<std::string> in_reply_to_user_id_str;
  std::optional<std::string> in_reply_to_screen_name;
  twitter_user user;
  pyjson::value geo;
  pyjson::value coordinates;
  pyjson::value place;
  pyjson::value contributors;
  std::shared_ptr<twitter_status> retweeted_status;
  int retweet_count;
  int favorite_count;
  twitter_entities entities;
  bool favorited;
  bool retweeted;
  std::optional<bool> possibly_sensitive;
  std::string lang;
};
struct twitter_search_metadata {
  double completed_in;
  std::int64_t max_id;
  std::string max_id_str;
  std::string next_results;
  std::string query;
  std::string refresh_url;
  int count;
  std::int64_t since_id;
  std::string since_id_str;
};
struct twitter {
  std::vector<twitter_status> statuses;
  twitter_search_metadata search_metadata;
};

// citm_catalog.json: many small objects keyed by numeric strings.
struct citm_event {
  pyjson::value description;
  std::int64_t id;
  std::optional<std::string> logo;
  std::string name;
  std::vector<std::int64_t> subTopicIds;
  pyjson::value subjectCode;
  pyjson::value subtitle;
  std::vector<std::int64_t> topicIds;
};
struct citm_price {
  std::int64_t amount;
  std::int64_t audienceSubCategoryId;
  std::int64_t seatCategoryId;
};
struct citm_area {
  std::int64_t areaId;
  std::vector<std::int64_t> blockIds;
};
struct citm_seat_category {
  std::vector<citm_area> areas;
  std::int64_t seatCategoryId;
};
struct citm_performance {
  std::int64_t eventId;
  std::int64_t id;
  std::optional<std::string> logo;
  pyjson::value name;
  std::vector<citm_price> prices;
  std::vector<citm_seat_category> seatCategories;
  pyjson::value seatMapImage;
  std::int64_t start;
  std::string venueCode;
};
struct citm_catalog {
  std::map<std::string, std::string> areaNames;
  std::map<std::string, std::string> audienceSubCategoryNames;
  std::map<std::string, std::string> blockNames;
  std::map<std::string, citm_event> events;
  std::vector<citm_performance> performances;
  std::map<std::string, std::string> seatCategoryNames;
  std::map<std::string, std::string> subTopicNames;
  std::map<std::string, std::string> subjectNames;
  std::map<std::string, std::string> topicNames;
  std::map<std::string, std::vector<std::int64_t>> topicSubTopics;
  std::map<std::string, std::string> venueNames;
};

// syn_records (bench_synthetic.hpp): many small objects of one shape.
struct record_geo {
  double lat;
  double lon;
};
struct record {
  std::int64_t id;
  std::string uuid;
  std::string name;
  std::string email;
  bool active;
  double score;
  std::optional<std::int64_t> parent;
  std::vector<std::string> tags;
  record_geo geo;
};
using records = std::vector<record>;

}  // namespace bench
