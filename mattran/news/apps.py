from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "mattran.news"
    verbose_name = "Tin tức"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "news.article.create": "viết bài",
            "news.article.update": "sửa bài",
            "news.article.publish": "đăng bài",
            "news.article.schedule": "hẹn giờ đăng bài",
            "news.article.unpublish": "gỡ bài",
            "news.photo.add": "thêm ảnh",
            "news.comment.post": "gửi bình luận",
            "news.comment.approve": "duyệt bình luận",
            "news.comment.reject": "từ chối bình luận",
        })
